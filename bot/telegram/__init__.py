"""The Telegram transport (python-telegram-bot v22): conversion, the Application, the webhook."""

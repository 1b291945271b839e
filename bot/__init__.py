"""The composition root and the transports: config, CLI, the aiohttp server (webhook, web chat,
dashboard, API), the Telegram adapter and the console chat. Only this package imports telegram."""

// 信访助手 web chat: talks JSON to our own server; no external scripts.
"use strict";
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("input");
  const fileInput = document.getElementById("file");

  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  let session = localStorage.getItem("xinfang-session");
  if (!session || !/^[A-Za-z0-9_-]{16,64}$/.test(session)) {
    session = randomId();
    localStorage.setItem("xinfang-session", session);
  }

  function bubble(text, who) {
    const div = document.createElement("div");
    div.className = "msg " + who;
    div.textContent = text; // text only: nothing a citizen or the server says becomes markup
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function showReplies(replies) {
    for (const reply of replies) {
      const div = bubble(reply.text, "bot");
      const buttons = (reply.buttons || []).flat();
      if (buttons.length) {
        const row = document.createElement("div");
        row.className = "buttons";
        for (const b of buttons) {
          const btn = document.createElement("button");
          btn.type = "button";
          btn.textContent = b.label;
          btn.dataset.data = b.data;
          btn.addEventListener("click", () => {
            row.querySelectorAll("button").forEach((x) => (x.disabled = true));
            bubble(b.label, "me");
            post({ button: b.data });
          });
          row.appendChild(btn);
        }
        div.appendChild(row);
      }
    }
  }

  async function post(payload) {
    const body = Object.assign({ session: session, message_id: randomId() }, payload);
    await deliver(() => fetch("/chat/api/send", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    }));
  }

  async function deliver(request) {
    try {
      const response = await request();
      const data = await response.json();
      if (!response.ok) {
        bubble((data.error && data.error.message) || "发送失败，请稍后再试。", "note");
        return;
      }
      showReplies(data.replies || []);
    } catch (e) {
      bubble("网络好像断了，您的内容没有丢失，请稍后再发送一次。", "note");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    bubble(text, "me");
    input.value = "";
    post({ text: text });
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  fileInput.addEventListener("change", () => {
    const file = fileInput.files[0];
    if (!file) return;
    bubble("📎 " + file.name, "me");
    const data = new FormData();
    data.append("session", session);
    data.append("message_id", randomId());
    data.append("file", file);
    fileInput.value = "";
    deliver(() => fetch("/chat/api/upload", { method: "POST", body: data }));
  });

  async function poll() {
    try {
      const response = await fetch("/chat/api/poll?session=" + encodeURIComponent(session));
      if (response.ok) {
        const data = await response.json();
        showReplies(data.messages || []);
      }
    } catch (e) { /* offline: try again later */ }
  }
  setInterval(poll, 5000);

  if (!sessionStorage.getItem("xinfang-greeted")) {
    sessionStorage.setItem("xinfang-greeted", "1");
    post({ text: "/start" });
  }
})();

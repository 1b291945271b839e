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

  // the conversation is kept in this browser, so a reload (or a phone that dropped the tab)
  // shows it again; "清除本机记录" forgets it and starts a new session
  const HISTORY = "xinfang-history";
  const KEEP = 150;
  function loadHistory() {
    try {
      const saved = JSON.parse(localStorage.getItem(HISTORY) || "[]");
      return Array.isArray(saved) ? saved : [];
    } catch (e) {
      return [];
    }
  }
  let history = loadHistory();
  function remember(entry) {
    history.push(entry);
    history = history.slice(-KEEP);
    try {
      localStorage.setItem(HISTORY, JSON.stringify(history));
    } catch (e) { /* storage full or disabled: the chat still works */ }
  }

  function bubble(text, who, keep) {
    const div = document.createElement("div");
    div.className = "msg " + who;
    div.textContent = text; // text only: nothing a citizen or the server says becomes markup
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    if (keep !== false && who !== "note") remember({ who: who, text: String(text) });
    return div;
  }

  function showReplies(replies, restoring) {
    for (const reply of replies) {
      const div = bubble(reply.text, "bot", false);
      const buttons = (reply.buttons || []).flat();
      if (!restoring) remember({ who: "bot", text: String(reply.text), buttons: reply.buttons || [] });
      if (!restoring && /XF-\d{8}-\d{4}/.test(reply.text || "")) refreshCases();
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

  function restore() {
    const saved = history.slice();
    let lastBot = -1;
    saved.forEach((entry, i) => { if (entry.who === "bot") lastBot = i; });
    saved.forEach((entry, i) => {
      if (entry.who === "bot") {
        // only the last message's buttons still mean something; older ones are shown, disabled
        showReplies([{ text: entry.text, buttons: entry.buttons || [] }], true);
        if (i !== lastBot) log.lastElementChild.querySelectorAll("button").forEach((b) => (b.disabled = true));
      } else {
        bubble(entry.text, entry.who === "me" ? "me" : "note", false);
      }
    });
    if (saved.length) bubble("以上是您在本机之前的对话。", "note");
  }

  const mine = document.getElementById("mine");
  async function refreshCases() {
    try {
      const response = await fetch("/chat/api/cases?session=" + encodeURIComponent(session));
      if (!response.ok) return;
      const cases = (await response.json()).cases || [];
      mine.replaceChildren();
      if (!cases.length) {
        mine.hidden = true;
        return;
      }
      const title = document.createElement("strong");
      title.textContent = "我反映的事项";
      mine.appendChild(title);
      for (const c of cases) {
        const line = document.createElement("div");
        line.className = "case";
        const due = c.due ? "，期限 " + c.due : "";
        line.textContent = c.ticket + "　" + c.status + (c.department ? "（" + c.department + "）" : "") + due;
        line.title = c.summary || "";
        mine.appendChild(line);
      }
      mine.hidden = false;
    } catch (e) { /* offline: shown next time */ }
  }

  document.getElementById("forget").addEventListener("click", () => {
    if (!confirm("清除本机上的对话记录？已登记的事项不受影响，可凭受理编号和电话查询。")) return;
    localStorage.removeItem(HISTORY);
    localStorage.setItem("xinfang-session", randomId());
    sessionStorage.removeItem("xinfang-greeted");
    location.reload();
  });

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

  restore();
  refreshCases();
  if (!history.length && !sessionStorage.getItem("xinfang-greeted")) {
    sessionStorage.setItem("xinfang-greeted", "1");
    post({ text: "/start" });
  }
})();

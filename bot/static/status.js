// 受理编号 + 电话 → POST /api/v1/status; shows the status and the public replies, nothing else.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("lookup");
  const result = document.getElementById("result");
  const line = (text) => {
    const p = document.createElement("p");
    p.textContent = text;
    result.appendChild(p);
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    result.textContent = "";
    const body = { ticket: document.getElementById("ticket").value, phone: document.getElementById("phone").value };
    let response;
    try {
      response = await fetch("/api/v1/status", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
    } catch (_) {
      line("网络不通，请稍后再试。");
      return;
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      line((data.error && data.error.message) || "查询没有成功，请稍后再试。");
      return;
    }
    line("受理编号：" + data.ticket);
    line("当前状态：" + data.status_label);
    line("责任部门：" + (data.department_name || "正在确定责任部门"));
    if (data.due) line("期限：" + data.due);
    for (const e of data.events || []) {
      line("• " + e.at.slice(0, 16).replace("T", " ") + " " + e.label + (e.note ? "：" + e.note : ""));
    }
  });
});

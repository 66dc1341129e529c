// Products Manager back office: the little behaviour htmx does not give (no inline script anywhere: the
// Content-Security-Policy allows scripts from this site only).
"use strict";

(function () {
  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // Every htmx request carries the form token in a header (forms without htmx carry a hidden field).
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // Live progress: an element with data-live-topics="import:<id> odoo_run:<id>" receives an htmx event
  // "live" whenever one of its topics changes (it usually answers with hx-trigger="live" and re-renders
  // itself). One EventSource per page for all topics; the server sends each topic's last state on every
  // (re)connection, so nothing is missed while the connection was down.
  let source = null;
  let watched = "";

  function topicsOf(element) {
    return (element.getAttribute("data-live-topics") || "").split(/\s+/).filter(Boolean);
  }

  function matches(topics, topic) {
    return topics.some(function (wanted) { return wanted === topic || topic.startsWith(wanted + ":"); });
  }

  function connect() {
    const elements = Array.from(document.querySelectorAll("[data-live-topics]"));
    const topics = Array.from(new Set(elements.flatMap(topicsOf))).sort();
    const key = topics.join(",");
    if (key === watched) return;
    if (source) source.close();
    source = null;
    watched = key;
    if (!topics.length || !window.EventSource) return;
    source = new EventSource("/api/v1/events?topics=" + encodeURIComponent(key));
    source.addEventListener("progress", function (message) {
      let event;
      try { event = JSON.parse(message.data); } catch (error) { return; }
      document.querySelectorAll("[data-live-topics]").forEach(function (element) {
        if (matches(topicsOf(element), event.topic) && window.htmx) {
          window.htmx.trigger(element, "live", event);
        }
      });
    });
  }

  // Drag and drop uploads: <div data-dropzone data-upload-url="..." data-upload-field="file"
  // data-refresh="#selector"> with a file input inside; each dropped or chosen file is posted on its own.
  function upload(zone, files) {
    const url = zone.getAttribute("data-upload-url");
    const field = zone.getAttribute("data-upload-field") || "file";
    const status = zone.querySelector("[data-upload-status]");
    const sends = Array.from(files).map(function (file) {
      const body = new FormData();
      body.append(field, file, file.name);
      return fetch(url, { method: "POST", body: body, headers: { "X-CSRF-Token": csrfToken(), "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) {
          return response.text().then(function (text) { return { ok: response.ok, name: file.name, text: text }; });
        });
    });
    if (status) status.textContent = "Uploading " + sends.length + " file(s)…";
    Promise.all(sends).then(function (results) {
      const failed = results.filter(function (result) { return !result.ok; });
      if (status) {
        status.textContent = failed.length
          ? failed.length + " file(s) refused: " + failed.map(function (r) { return r.name; }).join(", ")
          : results.length + " file(s) uploaded.";
      }
      const refresh = zone.getAttribute("data-refresh");
      if (refresh && window.htmx) {
        document.querySelectorAll(refresh).forEach(function (target) { window.htmx.trigger(target, "uploaded"); });
      }
    });
  }

  function bindDropzones(root) {
    root.querySelectorAll("[data-dropzone]").forEach(function (zone) {
      if (zone.dataset.bound) return;
      zone.dataset.bound = "1";
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("dragging"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) upload(zone, event.dataTransfer.files);
      });
      const input = zone.querySelector('input[type="file"]');
      if (input) {
        input.addEventListener("change", function () {
          if (input.files.length) upload(zone, input.files);
          input.value = "";
        });
      }
    });
  }

  // Confirmation before destructive actions: <button data-confirm="Delete this image?">.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  function start(root) {
    bindDropzones(root);
    connect();
  }

  document.addEventListener("DOMContentLoaded", function () { start(document); });
  document.addEventListener("htmx:afterSettle", function (event) { start(event.target.ownerDocument || document); });
})();

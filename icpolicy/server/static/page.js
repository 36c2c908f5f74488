// The case form: collects the fields into a case document (numbers as the exact text
// typed), asks the server for the assessment as the user types, and marks errors
// at the fields they concern.
(function () {
  "use strict";
  var lang = document.currentScript.getAttribute("data-lang");
  var form = document.getElementById("case");
  var result = document.getElementById("result");
  var timer = null;

  function itemize(list) {
    var items = list.querySelectorAll(":scope > .items > .item");
    items.forEach(function (item, i) {
      item.querySelector(":scope > legend .n").textContent = String(i + 1);
      item.querySelectorAll("[data-path]").forEach(function (input) {
        var base = input.getAttribute("data-path").replace(/\[\d+\]/g, "");
        var path = list.getAttribute("data-list") + "[" + i + "]" + base.slice(list.getAttribute("data-list").length);
        input.id = "f-" + path.replace(/[.\[\]]+/g, "-");
        input.setAttribute("data-item-path", path);
        var field = input.closest(".field");
        field.querySelector("label").setAttribute("for", input.id);
        field.querySelector("small").id = input.id + "-help";
        field.querySelector(".error").id = input.id + "-error";
        input.setAttribute("aria-describedby", input.id + "-help " + input.id + "-error");
      });
    });
  }

  function addItem(list) {
    var template = list.querySelector(":scope > template");
    var item = template.content.firstElementChild.cloneNode(true);
    list.querySelector(":scope > .items").appendChild(item);
    itemize(list);
    var first = item.querySelector("input, select");
    if (first) { first.focus(); }
    return item;
  }

  form.addEventListener("click", function (event) {
    var target = event.target;
    if (target.classList.contains("add")) {
      addItem(target.closest("[data-list]"));
      schedule();
    } else if (target.classList.contains("remove")) {
      var list = target.closest("[data-list]");
      target.closest(".item").remove();
      itemize(list);
      schedule();
    }
  });

  function valueOf(input) {
    var kind = input.getAttribute("data-kind");
    if (kind === "boolean") { return {set: true, value: input.checked}; }
    var text = input.value.trim();
    if (text === "") { return {set: false}; }
    return {set: true, value: text};
  }

  function collectObject(container, prefix) {
    var out = {};
    container.querySelectorAll(":scope > .field > [data-path], :scope > fieldset").forEach(function (node) {
      if (node.tagName === "FIELDSET") {
        var name;
        if (node.hasAttribute("data-list")) {
          name = node.getAttribute("data-list").slice(prefix.length);
          var items = [];
          node.querySelectorAll(":scope > .items > .item").forEach(function (item) {
            items.push(collectObject(item, node.getAttribute("data-list") + "."));
          });
          if (items.length) { out[name] = items; }
        } else if (node.hasAttribute("data-object")) {
          name = node.getAttribute("data-object").slice(prefix.length);
          var inner = collectObject(node, node.getAttribute("data-object") + ".");
          if (Object.keys(inner).length) { out[name] = inner; }
        }
        return;
      }
      var got = valueOf(node);
      if (got.set) { out[node.getAttribute("data-path").slice(prefix.length)] = got.value; }
    });
    return out;
  }

  function caseDocument() { return collectObject(form, ""); }

  function clearErrors() {
    form.querySelectorAll("[aria-invalid=true]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
    form.querySelectorAll(".field .error").forEach(function (n) { n.textContent = ""; });
  }

  function inputFor(field) {
    if (!field) { return null; }
    var byItem = form.querySelector('[data-item-path="' + field + '"]');
    if (byItem) { return byItem; }
    return form.querySelector('[data-path="' + field + '"]:not([data-item-path])');
  }

  function showErrors(errors) {
    clearErrors();
    errors.forEach(function (e) {
      var input = inputFor(e.field);
      if (!input) { return; }
      input.setAttribute("aria-invalid", "true");
      input.closest(".field").querySelector(".error").textContent = e.message;
    });
  }

  function post(url, body, type) {
    return fetch(url + "?lang=" + lang, {method: "POST", headers: {"content-type": type}, body: body});
  }

  function assess() {
    post("/ui/decide", JSON.stringify(caseDocument()), "application/json")
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        result.innerHTML = answer.html;
        showErrors(answer.errors || []);
      });
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(assess, 250);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

  function fill(container, prefix, data) {
    Object.keys(data).forEach(function (key) {
      var value = data[key];
      var path = prefix + key;
      if (Array.isArray(value)) {
        var list = container.querySelector('[data-list="' + path + '"]');
        if (!list) { return; }
        list.querySelector(":scope > .items").innerHTML = "";
        value.forEach(function (entry) { fill(addItem(list), path + ".", entry); });
      } else if (value !== null && typeof value === "object") {
        fill(container, path + ".", value);
      } else {
        var input = container.querySelector('[data-path="' + path + '"]');
        if (!input) { return; }
        if (input.getAttribute("data-kind") === "boolean") { input.checked = value === true; }
        else { input.value = String(value); }
      }
    });
  }

  function resetForm() {
    form.reset();
    form.querySelectorAll(".items").forEach(function (n) { n.innerHTML = ""; });
  }

  document.getElementById("load").addEventListener("click", function () {
    var text = document.getElementById("pasted").value;
    var problem = document.getElementById("load-error");
    post("/ui/load", text, "text/plain").then(function (r) { return r.json(); }).then(function (answer) {
      if (answer.errors && answer.errors.length) {
        problem.textContent = answer.errors.map(function (e) { return e.message; }).join("; ");
        return;
      }
      problem.textContent = "";
      resetForm();
      fill(form, "", answer.case || {});
      assess();
    });
  });

  document.getElementById("upload").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (!file) { return; }
    file.text().then(function (text) {
      document.getElementById("pasted").value = text;
      document.getElementById("load").click();
    });
  });

  function download(url, fallbackName) {
    post(url, JSON.stringify(caseDocument()), "application/json").then(function (r) {
      if (!r.ok) { return; }
      var disposition = r.headers.get("content-disposition") || "";
      var match = /filename="([^"]+)"/.exec(disposition);
      return r.blob().then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = match ? match[1] : fallbackName;
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    });
  }

  document.getElementById("download-case").addEventListener("click", function () { download("/ui/case.yaml", "case.yaml"); });
  document.getElementById("download-report").addEventListener("click", function () { download("/ui/report", "report.html"); });
}());

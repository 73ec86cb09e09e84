// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // "Back" on an error page goes back where the person came from (the link's own target otherwise).
  document.querySelectorAll("a[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });
  // A select that changes the page submits its form.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Long operations (imports, matching, printing) show that they are running.
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; button.textContent = form.getAttribute("data-busy"); }
      form.classList.add("busy");
    });
  });
  document.querySelectorAll("a[data-busy]").forEach(function (link) {
    link.addEventListener("click", function () {
      // A download leaves the page where it is: give the link back once the file has had time to come.
      var text = link.textContent;
      link.classList.add("busy"); link.textContent = link.getAttribute("data-busy");
      setTimeout(function () { link.classList.remove("busy"); link.textContent = text; }, 8000);
    });
  });
  // Irreversible actions ask once more.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  // "Select all" for the checkbox lists of a table.
  document.querySelectorAll("input[data-check-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll("input[name='" + box.getAttribute("data-check-all") + "']").forEach(function (c) { c.checked = box.checked; });
    });
  });
  // Employment spells: add one more row.
  document.querySelectorAll("button[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var table = document.getElementById(button.getAttribute("data-add-row"));
      var last = table.querySelector("tbody tr:last-child");
      var copy = last.cloneNode(true);
      var n = table.querySelectorAll("tbody tr").length + 1;
      // Rows are named "spells-0-start_date", "spells-1-…": the new row takes the next number.
      copy.querySelectorAll("input, select").forEach(function (input) {
        input.value = ""; input.id = input.id.replace(/-\d+$/, "-" + n);
        input.name = input.name.replace(/-\d+-/, "-" + (n - 1) + "-");
      });
      copy.querySelectorAll("label[for]").forEach(function (lab) { lab.htmlFor = lab.htmlFor.replace(/-\d+$/, "-" + n); });
      table.querySelector("tbody").appendChild(copy);
    });
  });
});

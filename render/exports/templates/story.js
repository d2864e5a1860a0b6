// The story slideshow of render/exports/story.py: one slide section shown at a time.
// A slide's map page waits in its iframe's data-page attribute and is loaded when first shown.
// Page Down / Page Up (a presentation clicker), the arrow keys and the buttons step slides.
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll("section.slide"));
  var current = 0;

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) {
      slide.hidden = i !== current;
    });
    var frame = slides[current].querySelector("iframe[data-page]");
    if (frame && !frame.hasAttribute("srcdoc")) {
      frame.setAttribute("srcdoc", frame.getAttribute("data-page"));
    }
    document.querySelectorAll("button[data-step]").forEach(function (button) {
      var target = current + Number(button.getAttribute("data-step"));
      button.disabled = target < 0 || target >= slides.length;
    });
  }

  var steps = { PageDown: 1, ArrowRight: 1, PageUp: -1, ArrowLeft: -1 };
  document.addEventListener("keydown", function (event) {
    if (Object.prototype.hasOwnProperty.call(steps, event.key)) {
      event.preventDefault();
      show(current + steps[event.key]);
    }
  });
  document.querySelectorAll("button[data-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      show(current + Number(button.getAttribute("data-step")));
    });
  });
  show(0);
})();

/* global L */
/* exported bemControlTexts */
// Leaflet's own texts on `map` in the view's language (render/webmap/controls.py,
// ControlTexts): o.text holds them (o.text.leaflet is escaped for an attribute); o.lang is the
// language of the map's text, set on its container and page. The scale bar shows miles beside
// kilometres only when o.imperial (English).
function bemControlTexts(map, o) {
    "use strict";
    L.control.scale({imperial: o.imperial}).addTo(map);
    var box = map.getContainer();
    box.setAttribute("lang", o.lang);
    document.documentElement.setAttribute("lang", o.lang);
    function retitle(selector, title, label) {
        Array.prototype.forEach.call(box.querySelectorAll(selector), function (node) {
            node.title = title;
            if (label) { node.setAttribute("aria-label", title); }
        });
    }
    retitle(".leaflet-control-zoom-in", o.text.zoomIn, true);
    retitle(".leaflet-control-zoom-out", o.text.zoomOut, true);
    retitle(".leaflet-control-layers-toggle", o.text.layers, false);
    var credits = map.attributionControl;
    if (credits && typeof credits.options.prefix === "string") {
        credits.setPrefix(credits.options.prefix.replace(/title="[^"]*"/,
            "title=\"" + o.text.leaflet + "\""));
    }
    map.on("popupopen", function (e) {
        var close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
        if (close) { close.setAttribute("aria-label", o.text.close); }
    });
}

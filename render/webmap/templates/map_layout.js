/* global L */
/* exported bemMapLayout */
// The map's layout on any screen (render/webmap/layout.py, MapLayout), run after every control
// is on `map`:
// - the map's container fills the page's height above what follows it (the control bar,
//   .bem-bar, written by bemTimeSlider; a notice), so the bar never covers the map;
// - the view never leaves o.extent, the box the basemap's land is drawn in: the least zoom is
//   the one at which the window fits inside it, recomputed when the window is resized, so land
//   and sea reach every edge at any size;
// - o.frame ([[south, west], [north, east]]) is fitted, unless o.fit is false, with padding
//   that keeps every point of o.points ([lat, lon, radius in px]) clear of the controls
//   (zoom buttons, layers, legend, scale, credits); map.bemLayout.refit(force) fits again (the
//   legend calls it when opened or closed).
function bemMapLayout(map, o) {
    "use strict";
    var box = map.getContainer();
    var extent = L.latLngBounds(o.extent);
    var frame = L.latLngBounds(o.frame);
    var moved = false;  // the user moved the map since the last fit
    map.options.zoomSnap = o.zoomSnap;
    map.options.maxBoundsViscosity = 1;
    map.setMaxBounds(extent);

    // The height of what follows the map in the page: the control bar, a notice.
    function below() {
        var h = 0;
        for (var n = box.nextElementSibling; n; n = n.nextElementSibling) { h += n.offsetHeight; }
        return h;
    }
    function size() {
        var top = box.getBoundingClientRect().top + window.pageYOffset;
        var height = window.innerHeight - top - below();
        box.style.height = Math.max(o.minHeight, Math.floor(height)) + "px";
        var centre = map.getCenter();
        map.invalidateSize({pan: false});
        var least = map.getBoundsZoom(extent, true);
        // The centre stays where it was, exactly; the zoom rises at once to the least one
        // (setMinZoom would animate it).
        map.setView(centre, Math.max(map.getZoom(), least), {animate: false});
        map.setMinZoom(least);
    }
    // The controls' boxes, relative to the map's container.
    function controls() {
        var origin = box.getBoundingClientRect();
        return Array.prototype.map.call(box.querySelectorAll(".leaflet-control"), function (c) {
            var r = c.getBoundingClientRect();
            var corner = c.parentNode.className;
            return {left: r.left - origin.left, top: r.top - origin.top,
                right: r.right - origin.left, bottom: r.bottom - origin.top,
                isTop: corner.indexOf("leaflet-top") >= 0,
                isLeft: corner.indexOf("leaflet-left") >= 0};
        }).filter(function (r) { return r.right > r.left && r.bottom > r.top; });
    }
    function fitWith(pad) {
        map.fitBounds(frame, {paddingTopLeft: [pad.l, pad.t],
            paddingBottomRight: [pad.r, pad.b], animate: false});
    }
    // Fit the frame, then widen the padding on one side of each control that a point falls
    // under (the side needing less), and fit again, a few times at most.
    function refit() {
        var m = o.margin;
        var pad = {l: m, t: m, r: m, b: m};
        for (var round = 0; round < 6; round += 1) {
            fitWith(pad);
            var view = map.getSize();
            var grown = false;
            controls().forEach(function (c) {
                o.points.forEach(function (p) {
                    var at = map.latLngToContainerPoint([p[0], p[1]]);
                    var r = p[2] + m;
                    if (at.x + r < c.left || at.x - r > c.right || at.y + r < c.top ||
                            at.y - r > c.bottom) { return; }
                    var side = c.isLeft ? "l" : "r";
                    var across = c.isLeft ? c.right : view.x - c.left;
                    var updown = c.isTop ? "t" : "b";
                    var along = c.isTop ? c.bottom : view.y - c.top;
                    if (across <= along) {
                        pad[side] = Math.max(pad[side], across + m + p[2]);
                    } else {
                        pad[updown] = Math.max(pad[updown], along + m + p[2]);
                    }
                    grown = true;
                });
            });
            if (!grown) { break; }
        }
        moved = false;
    }
    // The user moves the map by dragging, the wheel, touch, keys or the zoom buttons (not by
    // opening the legend, the layer list or a credit link).
    L.DomEvent.on(box, "mousedown wheel touchstart keydown", function (e) {
        if (!e.target.closest(".bem-legend, .leaflet-control-layers, .leaflet-control-attribution")) {
            moved = true;
        }
    });
    var resizing = null;
    window.addEventListener("resize", function () {
        clearTimeout(resizing);
        resizing = setTimeout(layout, 100);
    });
    function layout() {
        size();
        if (o.fit && !moved) { refit(); }
    }
    // Sizes are right once Leaflet's style sheet applies (a linked one may still be loading).
    function styled() {
        return window.getComputedStyle(map.getPane("mapPane")).position === "absolute";
    }
    layout();
    if (!styled()) {
        var tries = 0;
        var wait = setInterval(function () {
            tries += 1;
            if (styled() || tries > 200) {
                clearInterval(wait);
                layout();
            }
        }, 50);
    }
    map.bemLayout = {
        // Fit again; unless `force`, only while the user has not moved the map.
        refit: function (force) { if (force || !moved) { refit(); } },
        resize: size
    };
    return map.bemLayout;
}

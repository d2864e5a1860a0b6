/* global L */
/* exported bemPlaceLabels */
// Place labels (render/webmap/layers/places.py, PlaceLabels): places[i] = [lat, lon, name
// (escaped HTML), border place]. Each place is a small dot in o.pane (its name as a tooltip on
// hover); names are placed in o.labelPane, below the event symbols, so that no two overlap:
// greedily, places with an event symbol close by first, then border places, then the others
// (those only from zoom o.othersFrom), each at the first of a few positions around its dot
// that overlaps no map control and no label placed before it (and, if possible, no event
// symbol); a name with no free position is hidden. Placed again after every zoom, pan, resize and slider step.
function bemPlaceLabels(map, places, o) {
    "use strict";
    var group = L.featureGroup();
    var pane = map.getPane(o.labelPane) || map.createPane(o.labelPane);
    pane.style.zIndex = o.labelZ;
    pane.style.pointerEvents = "none";
    var items = places.map(function (p) {
        var dot = L.circleMarker([p[0], p[1]], {
            radius: 3, color: "#333", weight: 1, fillColor: "#fff", fillOpacity: 1, pane: o.pane
        }).bindTooltip(p[2], {direction: "right", className: "bem-place-label", offset: [4, 0]});
        var label = L.DomUtil.create("div", "bem-label", pane);
        label.innerHTML = p[2];
        label.style.display = "none";
        return {ll: L.latLng(p[0], p[1]), dot: dot, el: label, border: p[3]};
    });
    // Offsets of a w x h name's top-left corner from its dot, in order of preference: close
    // by (gap 4 px), then clear of the symbols around the place (gap `far`).
    function candidates(w, h, far) {
        var out = [];
        [4, far].forEach(function (G) {
            var d = G * 0.71;
            out.push([G + 2, -h / 2], [-G - 2 - w, -h / 2], [d, -d - h], [d, d],
                [-d - w, -d - h], [-d - w, d], [-w / 2, -G - 2 - h], [-w / 2, G + 2]);
        });
        return out;
    }
    function overlaps(a, b) {
        return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    }
    function hitsCircle(a, c) {
        var nx = Math.max(a.x, Math.min(c.x, a.x + a.w));
        var ny = Math.max(a.y, Math.min(c.y, a.y + a.h));
        return (nx - c.x) * (nx - c.x) + (ny - c.y) * (ny - c.y) < c.r * c.r;
    }
    // The event symbols on the map now (in layer pixels, with their radius).
    function symbols() {
        var out = [];
        map.eachLayer(function (layer) {
            var cls = layer.options && layer.options.className;
            if (layer instanceof L.CircleMarker && cls && cls.indexOf("bem-event") >= 0) {
                var at = map.latLngToLayerPoint(layer.getLatLng());
                out.push({x: at.x, y: at.y, r: layer.getRadius() + 2});
            }
        });
        return out;
    }
    // The map's controls on screen (attribution, scale, legend...), in layer pixels: no name
    // is placed under one.
    function controls() {
        var box = map.getContainer().getBoundingClientRect();
        var out = [];
        map.getContainer().querySelectorAll(".leaflet-control").forEach(function (el) {
            var r = el.getBoundingClientRect();
            if (!r.width || !r.height) { return; }
            var at = map.containerPointToLayerPoint(L.point(r.left - box.left, r.top - box.top));
            out.push({x: at.x, y: at.y, w: r.width, h: r.height});
        });
        return out;
    }
    function place() {
        if (!map.hasLayer(group)) { return; }
        var zoom = map.getZoom();
        var circles = symbols();
        var view = map.getPixelBounds();
        var origin = map.getPixelOrigin();
        var edge = {x: view.min.x - origin.x, y: view.min.y - origin.y,
            w: view.max.x - view.min.x, h: view.max.y - view.min.y};
        var ranked = items.map(function (it) {
            var at = map.latLngToLayerPoint(it.ll);
            var far = 4;
            var near = circles.filter(function (c) {
                var d = Math.hypot(c.x - at.x, c.y - at.y);
                if (d < c.r + 30) { far = Math.min(36, Math.max(far, d + c.r + 2)); return true; }
                return false;
            }).length;
            var rank = near ? 0 : (it.border ? 1 : 2);
            return {it: it, at: at, rank: rank, near: near, far: far};
        }).filter(function (r) {
            return r.rank < 2 || zoom >= o.othersFrom;
        }).sort(function (a, b) { return a.rank - b.rank || b.near - a.near; });
        var shown = {};
        var taken = controls();
        ranked.forEach(function (r) {
            var el = r.it.el;
            el.style.display = "";
            var w = el.offsetWidth, h = el.offsetHeight;
            var best = null;
            candidates(w, h, r.far).some(function (c) {
                var b = {x: r.at.x + c[0], y: r.at.y + c[1], w: w, h: h};
                var inside = b.x >= edge.x && b.y >= edge.y && b.x + w <= edge.x + edge.w &&
                    b.y + h <= edge.y + edge.h;
                if (!inside || taken.some(function (t) { return overlaps(b, t); })) {
                    return false;
                }
                var covered = circles.some(function (s) { return hitsCircle(b, s); });
                if (!best || (best.covered && !covered)) { best = {b: b, covered: covered}; }
                return !covered;
            });
            if (!best) {
                el.style.display = "none";
                return;
            }
            taken.push(best.b);
            L.DomUtil.setPosition(el, L.point(best.b.x, best.b.y));
            shown[L.stamp(r.it)] = true;
        });
        items.forEach(function (it) {
            if (!shown[L.stamp(it)]) { it.el.style.display = "none"; }
            var dot = shown[L.stamp(it)] || it.border || zoom >= o.othersFrom;
            if (dot && !group.hasLayer(it.dot)) { group.addLayer(it.dot); }
            if (!dot && group.hasLayer(it.dot)) { group.removeLayer(it.dot); }
        });
    }
    function hide() {
        items.forEach(function (it) { it.el.style.display = "none"; });
    }
    map.on("zoomstart", hide);
    map.on("zoomend moveend resize viewreset bem:step", place);
    group.on("add", function () { setTimeout(place, 0); });
    group.on("remove", hide);
    return group;
}

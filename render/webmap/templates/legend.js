/* global L */
/* exported bemLegend */
// The map's legend (render/webmap/legend.py, Legend): a control on `map` showing o.html, and
// the data credits o.attribution added to the map's attribution. Both are escaped HTML. The
// legend opens closed (a small button); opening or closing it fits the map again
// (map.bemLayout, templates/map_layout.js) so that it covers no event.
function bemLegend(map, o) {
    "use strict";
    var Legend = L.Control.extend({
        options: {position: "topright"},
        onAdd: function () {
            var box = L.DomUtil.create("div", "bem-legend leaflet-bar");
            box.innerHTML = o.html;
            var details = box.querySelector("details");
            details.open = false;
            details.addEventListener("toggle", function () {
                if (map.bemLayout) { map.bemLayout.refit(true); }
            });
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            return box;
        }
    });
    new Legend().addTo(map);
    map.attributionControl.addAttribution(o.attribution);
}

/* global L */
/* exported bemLegend */
// The map's legend (render/webmap/legend.py, Legend): a control on `map` showing o.html, and
// the data credits o.attribution added to the map's attribution. Both are escaped HTML.
function bemLegend(map, o) {
    "use strict";
    var Legend = L.Control.extend({
        options: {position: "topright"},
        onAdd: function () {
            var box = L.DomUtil.create("div", "bem-legend leaflet-bar");
            box.innerHTML = o.html;
            if (map.getSize().y < 700) {
                box.querySelector("details").open = false;  // keep small maps visible
            }
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            return box;
        }
    });
    new Legend().addTo(map);
    map.attributionControl.addAttribution(o.attribution);
}

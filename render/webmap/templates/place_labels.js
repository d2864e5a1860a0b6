/* global L */
/* exported bemPlaceLabels */
// Place labels (render/webmap/layers/places.py, PlaceLabels): places[i] = [lat, lon, name
// (escaped HTML), always labelled]; small dots in o.pane, the name as a tooltip.
function bemPlaceLabels(places, o) {
    "use strict";
    var group = L.featureGroup();
    places.forEach(function (p) {
        L.circleMarker([p[0], p[1]], {
            radius: 2.5, color: "#333", weight: 1, fillColor: "#fff", fillOpacity: 1,
            pane: o.pane
        }).bindTooltip(p[2], {
            permanent: p[3], direction: "right", className: "bem-place-label", offset: [4, 0]
        }).addTo(group);
    });
    return group;
}

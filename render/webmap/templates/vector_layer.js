/* global L */
/* exported bemVectorLayer */
// A GeoJSON layer (render/webmap/layers/vector.py, VectorLayer) drawn with o.style, overridden
// per feature by properties.style; properties.tip, escaped HTML, is the feature's tooltip.
// o.extra[properties.id] is merged over a feature's properties. `data` may be shared with
// another layer (the same geometry drawn twice is written once).
function bemVectorLayer(data, o) {
    "use strict";
    function props(f) {
        return Object.assign({}, f.properties, o.extra[f.properties.id]);
    }
    var options = {
        interactive: o.interactive,
        style: function (f) {
            return Object.assign({}, o.style, props(f).style || {});
        },
        onEachFeature: function (f, layer) {
            var p = props(f);
            if (p.tip) {
                layer.bindTooltip(p.tip, {sticky: true});
            }
        }
    };
    if (o.pane) {
        options.pane = o.pane;
    }
    return L.geoJSON(data, options);
}

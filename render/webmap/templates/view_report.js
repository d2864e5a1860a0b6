/* exported bemViewReport */
// What the map tells the app about where the user left it (render/webmap/view_report.py).
// streamlit-folium sends window.__GLOBAL_DATA__.selected_tags to the server on every moveend;
// the app records the zoom and centre only once the user has moved the map ("moved": a press,
// wheel, key or double click on the map, not on the time slider, legend or layer list), so the
// map's opening fit never ends up in a link. map.bemTag(tags) merges tags into selected_tags
// (the time slider adds its date and mode, time_slider.js) and says whether there is an app to
// tell: outside streamlit-folium it does nothing and returns false.
function bemViewReport(map) {
    "use strict";
    map.bemTag = function (tags) {
        var data = window.__GLOBAL_DATA__;
        if (!data) { return false; }
        var now = data.selected_tags;
        data.selected_tags = Object.assign({}, now && !Array.isArray(now) ? now : {}, tags);
        return true;
    };
    var skip = ".bem-bar, .bem-legend, .leaflet-control-layers";
    function moved(event) {
        if (!(event.target.closest && event.target.closest(skip))) {
            map.bemTag({moved: true});
        }
    }
    ["pointerdown", "wheel", "keydown", "dblclick", "touchstart"].forEach(function (type) {
        map.getContainer().addEventListener(type, moved, true);
    });
}

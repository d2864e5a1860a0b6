/* global L */
/* exported bemTileFallback */
// Honest web basemaps (render/webmap/layers/tiles.py, TileFallback): when the web `tiles`
// cannot load (an error before any tile loaded, more errors than loaded tiles, or no tile
// within o.waitMs), a notice above the map's control bar says so (o.text.notice) with a
// button (o.text.button) that removes the tiles and fills the countries of `land` (the
// vector basemap, drawn unfilled under tiles) with the offline basemap's colours: o.base, then
// o.fill, then each country's own properties.style.
function bemTileFallback(map, tiles, land, o) {
    "use strict";
    var loaded = 0, failed = 0, shown = false;
    function offline(box) {
        map.removeLayer(tiles);
        land.setStyle(function (f) {
            return Object.assign({}, o.base, o.fill, (f.properties && f.properties.style) || {});
        });
        box.parentNode.removeChild(box);
        if (map.bemLayout) { map.bemLayout.resize(); }
    }
    function notice() {
        if (shown || !map.hasLayer(tiles)) { return; }
        shown = true;
        var box = L.DomUtil.create("div", "bem-tile-notice");
        box.setAttribute("role", "alert");
        L.DomUtil.create("span", "", box).textContent = o.text.notice;
        var button = L.DomUtil.create("button", "bem-tile-offline", box);
        button.type = "button";
        button.textContent = o.text.button;
        button.addEventListener("click", function () { offline(box); });
        var c = map.getContainer();
        c.parentNode.insertBefore(box, c.nextSibling);
        if (map.bemLayout) { map.bemLayout.resize(); }
    }
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () {
        failed += 1;
        if (!loaded || failed > loaded + 2) { notice(); }
    });
    setTimeout(function () { if (!loaded) { notice(); } }, o.waitMs);
}

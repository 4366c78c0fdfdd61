// ReDoc's menu footer loads Redocly's logo from their CDN, and no ReDoc option turns that off. Offline intranets
// cannot reach it and our Content-Security-Policy refuses it, so an image from outside gets no source: ReDoc then
// drops it (its onError) and keeps the "API docs by Redocly" link. Loaded before ReDoc.
(function () {
  "use strict";
  var outside = /^(https?:)?\/\//i;
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    var blocked = this instanceof HTMLImageElement && String(name).toLowerCase() === "src" && outside.test(value);
    return setAttribute.call(this, name, blocked ? "" : value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true, enumerable: src.enumerable, get: src.get,
    set: function (value) { src.set.call(this, outside.test(value) ? "" : value); }
  });
})();

// statuskart: one search index file. The offline plugin writes search/search_index.js (the index
// inlined as `var __index = {...}`), which Material loads under file://. Over http(s) Material
// asks for search/search_index.json instead; statuskart does not ship that second copy, so this
// loads the .js file and hands Material the JSON inside it.
(() => {
  if (location.protocol === "file:") return;
  const PREFIX = "var __index = ";
  const JSON_INDEX = /\/search\/search_index\.json$/;
  const response = Object.getOwnPropertyDescriptor(XMLHttpRequest.prototype, "response");
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    const target = new URL(String(url), document.baseURI);
    if (JSON_INDEX.test(target.pathname)) {
      target.pathname = target.pathname.replace(/\.json$/, ".js");
      url = target.href;
      Object.defineProperty(this, "response", {
        get() {
          const body = response.get.call(this);
          return body instanceof Blob ? body.slice(PREFIX.length) : body;
        },
      });
    }
    return open.call(this, method, url, ...rest);
  };
})();

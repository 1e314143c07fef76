// Starts the vendored Swagger UI on this server's OpenAPI schema (relative, so it works behind a
// path prefix). validatorUrl null: no badge fetched from the public validator.
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});

// The page's behaviour: fill the form from /api/options, keep a live preview, make the posts.
// Everything goes to this same local server; nothing is sent anywhere else.
"use strict";

(() => {
  const PREVIEW_DELAY_MS = 300;
  const $ = (id) => document.getElementById(id);
  const el = {
    form: $("form"), flowerGrid: $("flower-grid"), flowerDescription: $("flower-description"),
    species: $("species"), seed: $("seed"), growAnother: $("grow-another"),
    sourceOurs: $("source-ours"), sourceGrow: $("source-grow"), sourcePhoto: $("source-photo"),
    oursBody: $("ours-body"), growBody: $("grow-body"), photoBody: $("photo-body"),
    photo: $("photo"), camera: $("camera"),
    photoChosen: $("photo-chosen"), photoName: $("photo-name"), removePhoto: $("remove-photo"),
    lang: $("lang"), template: $("template"), message: $("message"), tags: $("tags"), hashtags: $("hashtags"),
    platforms: $("platforms"), styles: $("styles"), make: $("make"), status: $("status"), error: $("error"),
    preview: $("preview"), frame: $("frame"), previewError: $("preview-error"), tabs: $("preview-tabs"),
    results: $("results"), resultList: $("result-list"), resultsTitle: $("results-title"), stale: $("stale"),
    resultTemplate: $("result-template"),
  };
  const maxUpload = Number(document.body.dataset.maxUpload);
  const maxUploadText = document.body.dataset.maxUploadText;

  const state = {
    options: null,
    photo: null,            // the File chosen, kept only in this page's memory
    previewFormat: null,
    ownWords: "",           // what the supporter wrote, kept while they try a catalogue message
    previewTimer: 0,
    previewController: null,
    previewUrl: null,
    resultUrls: [],
  };

  // --- helpers ------------------------------------------------------------------------------------------

  const sentence = (text) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : "");

  function showError(message) {
    // Shown twice: by the preview (desktop) and above the button (phones); only the second is announced.
    el.error.textContent = message ? sentence(message) : "";
    el.previewError.textContent = el.error.textContent;
    el.frame.classList.toggle("failed", Boolean(message));
  }

  function announce(message) {
    // Clear first so the same message twice in a row is still read out.
    el.status.textContent = "";
    window.setTimeout(() => { el.status.textContent = message; }, 30);
  }

  function option(value, text) {
    const item = document.createElement("option");
    item.value = value;
    item.textContent = text;
    return item;
  }

  async function errorFrom(response) {
    try {
      const body = await response.json();
      if (body && body.error) return body.error;
    } catch (_) { /* not JSON */ }
    return `the page could not do that (error ${response.status}); reload it and try again`;
  }

  function blobFromDataUrl(url) {
    // Decoded here rather than fetched: the page's content security policy allows no data: requests.
    const [head, payload] = url.split(",", 2);
    const type = head.slice("data:".length).split(";")[0];
    const binary = atob(payload);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return new Blob([bytes], { type });
  }

  function kilobytes(count) {
    return count >= 1e6 ? `${(count / 1e6).toFixed(1)} MB` : `${Math.round(count / 1000)} kB`;
  }

  // --- the form -----------------------------------------------------------------------------------------

  function fillOptions(options) {
    const { flowers, languages, formats, styles, defaults } = options;
    flowers.bundled.forEach((f) => {
      const tile = document.createElement("div");
      tile.className = "tile";
      tile.innerHTML = `<input type="radio" name="flower" id="flower-${f.value}">
        <label for="flower-${f.value}"><img alt="" width="160" height="200" loading="lazy" decoding="async"><span class="tile-name"></span></label>`;
      const radio = tile.querySelector("input");
      radio.value = f.value;
      radio.checked = f.value === defaults.flower;
      radio.dataset.description = sentence(f.description);
      tile.querySelector("img").src = f.thumbnail;
      tile.querySelector("span").textContent = f.label;
      tile.title = f.label;
      radio.dataset.label = f.label;
      el.flowerGrid.append(tile);
    });
    flowers.species.forEach((s) => el.species.append(option(s.value, sentence(s.label))));

    languages.forEach((l) => el.lang.append(option(l.code, l.name)));
    el.lang.value = defaults.language;
    fillTemplates(defaults.template);

    formats.forEach((f) => {
      const id = `format-${f.name}`;
      const item = document.createElement("div");
      item.className = "check";
      item.innerHTML = `<input type="checkbox" name="format" id="${id}">
        <label for="${id}"><span class="check-name"></span> <span class="check-size"></span></label>`;
      const box = item.querySelector("input");
      box.value = f.name;
      box.checked = f.name === defaults.format;
      item.querySelector(".check-name").textContent = f.label;
      item.querySelector(".check-size").textContent = f.size;
      if (f.notes) item.title = f.notes;
      el.platforms.append(item);
    });

    styles.forEach((s) => {
      const id = `style-${s.name}`;
      const item = document.createElement("div");
      item.className = "check";
      item.innerHTML = `<input type="radio" name="style" id="${id}">
        <label for="${id}"><span class="check-name"></span> <span class="check-size"></span></label>`;
      const radio = item.querySelector("input");
      radio.value = s.name;
      radio.checked = s.name === defaults.style;
      item.querySelector(".check-name").textContent = s.label;
      item.querySelector(".check-size").textContent = s.description;
      el.styles.append(item);
    });
    syncFlower();
    syncTabs();
  }

  function templatesFor(code) {
    return state.options.templates[code] || [];
  }

  function templateText(code, id) {
    const found = templatesFor(code).find((t) => t.id === id);
    return found ? found.text : null;
  }

  function fillTemplates(selected, otherwise = state.ownWords) {
    const code = el.lang.value;
    el.template.replaceChildren(...templatesFor(code).map((t) => option(t.id, t.title)), option("", "My own words"));
    const text = templateText(code, selected);
    if (text !== null) {
      el.template.value = selected;
      el.message.value = text;
    } else {
      el.template.value = "";
      el.message.value = otherwise;
      state.ownWords = otherwise;
    }
    const language = state.options.languages.find((l) => l.code === code);
    el.message.lang = code;
    el.message.dir = language ? language.direction : "auto";
  }

  function usingCatalogueText() {
    const text = templateText(el.lang.value, el.template.value);
    return text !== null && el.message.value.trim() === text.trim();
  }

  function source() {
    return el.sourcePhoto.checked ? "photo" : el.sourceGrow.checked ? "grow" : "ours";
  }

  function chosenFlower() {
    const radio = el.flowerGrid.querySelector("input:checked");
    return radio || el.flowerGrid.querySelector("input");
  }

  function syncFlower() {
    const from = source();
    el.oursBody.hidden = from !== "ours";
    el.growBody.hidden = from !== "grow";
    el.photoBody.hidden = from !== "photo";
    const flower = chosenFlower();
    el.flowerDescription.replaceChildren();
    if (flower) {
      const name = document.createElement("strong");
      name.textContent = flower.dataset.label;
      el.flowerDescription.append(name, `: ${flower.dataset.description.toLowerCase()}.`);
    }
  }

  function chosenFormats() {
    return [...el.platforms.querySelectorAll("input:checked")].map((box) => box.value);
  }

  function formatLabel(name) {
    const found = state.options.formats.find((f) => f.name === name);
    return found ? found.label : name;
  }

  function syncTabs() {
    const chosen = chosenFormats();
    if (!chosen.includes(state.previewFormat)) state.previewFormat = chosen[0] || null;
    el.tabs.replaceChildren(...chosen.map((name) => {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.className = "tab";
      tab.textContent = formatLabel(name);
      tab.setAttribute("aria-pressed", String(name === state.previewFormat));
      tab.addEventListener("click", () => {
        state.previewFormat = name;
        syncTabs();
        schedulePreview(0);
      });
      return tab;
    }));
    el.tabs.hidden = chosen.length < 2;
    el.make.disabled = chosen.length === 0;
  }

  function setPhoto(file) {
    if (file && file.size > maxUpload) {
      showError(`the photo is larger than ${maxUploadText}; choose a smaller photo or export it at a lower quality`);
      el.photo.value = "";
      el.camera.value = "";
      return;
    }
    state.photo = file || null;
    el.photoChosen.hidden = !state.photo;
    el.photoName.textContent = state.photo ? `Using ${state.photo.name || "your photo"}` : "";
    if (!state.photo) {
      el.photo.value = "";
      el.camera.value = "";
    }
  }

  function formData(formats) {
    const data = new FormData();
    const from = source();
    if (from === "photo" && state.photo) {
      data.append("photo", state.photo, state.photo.name || "photo.jpg");
    } else if (from === "grow") {
      const seed = Math.max(0, Math.floor(Number(el.seed.value) || 0));
      data.append("flower", `${el.species.value}:${seed}`);
    } else {
      const flower = chosenFlower();
      if (flower) data.append("flower", flower.value);
    }
    if (usingCatalogueText()) data.append("template", el.template.value);
    else data.append("message", el.message.value);
    data.append("lang", el.lang.value);
    formats.forEach((name) => data.append("format", name));
    const style = el.styles.querySelector("input:checked");
    data.append("style", style ? style.value : "card");
    data.append("tags", el.tags.value);
    data.append("hashtags", el.hashtags.value);
    return data;
  }

  // --- the live preview ---------------------------------------------------------------------------------

  function schedulePreview(delay = PREVIEW_DELAY_MS) {
    window.clearTimeout(state.previewTimer);
    state.previewTimer = window.setTimeout(updatePreview, delay);
  }

  async function updatePreview() {
    if (state.previewController) state.previewController.abort();  // a newer edit makes the old one stale
    if (!state.previewFormat) {
      showError("choose at least one platform in step 3");
      return;
    }
    if (source() === "photo" && !state.photo) return;  // nothing to show until a photo is chosen
    const controller = new AbortController();
    state.previewController = controller;
    el.frame.setAttribute("aria-busy", "true");
    try {
      const response = await fetch("/api/preview", {
        method: "POST", body: formData([state.previewFormat]), signal: controller.signal,
      });
      if (!response.ok) {
        showError(await errorFrom(response));
        return;
      }
      const blob = await response.blob();
      if (controller.signal.aborted) return;
      const url = URL.createObjectURL(blob);
      el.preview.onload = () => {
        el.preview.classList.add("loaded");
        el.frame.style.aspectRatio = `${el.preview.naturalWidth} / ${el.preview.naturalHeight}`;
      };
      el.preview.src = url;
      el.preview.alt = `Preview of your post for ${formatLabel(state.previewFormat)}`;
      if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
      state.previewUrl = url;
      showError("");
    } catch (error) {
      if (error.name === "AbortError") return;
      showError("the preview could not be made: is `solidarity serve` still running? Start it again and reload");
    } finally {
      if (state.previewController === controller) {
        state.previewController = null;
        el.frame.setAttribute("aria-busy", "false");
      }
    }
  }

  // --- making the posts ---------------------------------------------------------------------------------

  async function makePosts(event) {
    event.preventDefault();
    const formats = chosenFormats();
    if (!formats.length) {
      showError("choose at least one platform in step 3");
      return;
    }
    if (source() === "photo" && !state.photo) {
      showError("choose your photo first (or pick one of our flowers)");
      el.photo.focus();
      return;
    }
    el.make.disabled = true;
    el.make.setAttribute("aria-busy", "true");
    announce(formats.length > 1 ? `Making ${formats.length} images…` : "Making your image…");
    try {
      const response = await fetch("/api/post", { method: "POST", body: formData(formats) });
      if (!response.ok) {
        const message = sentence(await errorFrom(response));
        showError(message);
        announce("");
        return;
      }
      const { posts } = await response.json();
      await showResults(posts);
      showError("");
      announce(posts.length > 1 ? `${posts.length} images are ready below.` : "Your image is ready below.");
    } catch (_) {
      showError("the images could not be made: is `solidarity serve` still running? Start it again and reload");
      announce("");
    } finally {
      el.make.disabled = chosenFormats().length === 0;
      el.make.removeAttribute("aria-busy");
    }
  }

  async function showResults(posts) {
    state.resultUrls.forEach((url) => URL.revokeObjectURL(url));
    state.resultUrls = [];
    const cards = [];
    for (const post of posts) {
      const blob = blobFromDataUrl(post.image);
      const url = URL.createObjectURL(blob);
      state.resultUrls.push(url);
      cards.push(resultCard(post, url));
    }
    el.resultList.replaceChildren(...cards);
    el.results.hidden = false;
    el.stale.hidden = true;
    el.resultsTitle.focus({ preventScroll: true });
    el.results.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  function resultCard(post, url) {
    const card = el.resultTemplate.content.firstElementChild.cloneNode(true);
    const id = `result-${post.format}`;
    card.querySelector(".result-image").href = url;
    const image = card.querySelector("img");
    image.src = url;
    image.alt = post.alt_text;
    image.width = post.width;
    image.height = post.height;
    card.querySelector(".result-title").textContent = post.label;
    card.querySelector(".result-meta").textContent =
      `${post.width}×${post.height} · ${kilobytes(post.bytes)} · ${post.filename}`;
    const download = card.querySelector(".download");
    download.href = url;
    download.download = post.filename;
    download.textContent = `Download for ${post.label}`;
    const warnings = card.querySelector(".warnings");
    post.warnings.forEach((w) => {
      const item = document.createElement("li");
      item.textContent = sentence(w);
      warnings.append(item);
    });
    warnings.hidden = post.warnings.length === 0;
    for (const [kind, text] of [["caption", post.caption], ["alt", post.alt_text]]) {
      const field = card.querySelector(`textarea.${kind}`);
      field.id = `${id}-${kind}`;
      field.value = text;
      field.lang = post.language;
      field.dir = post.direction;
      card.querySelector(`.${kind}-label`).htmlFor = field.id;
      const button = card.querySelector(`.copy-${kind}`);
      button.setAttribute("aria-describedby", field.id);
      button.addEventListener("click", () => copy(field, kind === "caption" ? "Caption copied." : "Alt text copied."));
    }
    for (const [kind, text] of [["caption", "Caption"], ["alt", "Image description (alt text)"]]) {
      const label = card.querySelector(`.${kind}-label`);
      const which = document.createElement("span");
      which.className = "visually-hidden";  // each card's fields are told apart by screen readers
      which.textContent = ` for ${post.label}`;
      label.replaceChildren(text, which);
    }
    return card;
  }

  async function copy(field, done) {
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error("no clipboard API");
      await navigator.clipboard.writeText(field.value);
    } catch (_) {
      // Older browsers, or a page opened over the network (not a secure context): copy the selection.
      field.focus();
      field.select();
      const copied = document.execCommand && document.execCommand("copy");
      if (!copied) {
        announce("Copying is blocked here: the text is selected, press Ctrl+C (or long-press and Copy).");
        return;
      }
    }
    announce(done);
  }

  function markResultsStale() {
    if (!el.results.hidden) el.stale.hidden = false;
  }

  // --- wiring -------------------------------------------------------------------------------------------

  function changed(delay) {
    markResultsStale();
    schedulePreview(delay);
  }

  function wire() {
    el.form.addEventListener("submit", makePosts);
    el.flowerGrid.addEventListener("change", () => { syncFlower(); changed(0); });
    el.species.addEventListener("change", () => changed(0));
    el.seed.addEventListener("input", () => changed());
    el.growAnother.addEventListener("click", () => {
      el.seed.value = String((Math.floor(Number(el.seed.value) || 0) + 1) % 1000000);
      changed(0);
    });
    for (const radio of [el.sourceOurs, el.sourceGrow, el.sourcePhoto]) {
      radio.addEventListener("change", () => { syncFlower(); changed(0); });
    }
    for (const input of [el.photo, el.camera]) {
      input.addEventListener("change", () => {
        if (!input.files.length) return;
        setPhoto(input.files[0]);
        if (state.photo) changed(0);
      });
    }
    el.removePhoto.addEventListener("click", () => { setPhoto(null); el.photo.focus(); changed(0); });
    el.photoBody.addEventListener("dragover", (event) => event.preventDefault());
    el.photoBody.addEventListener("drop", (event) => {
      event.preventDefault();
      const [file] = event.dataTransfer.files;
      if (file) { setPhoto(file); changed(0); }
    });
    el.lang.addEventListener("change", () => {
      // The same catalogue message in the new language; the supporter's own words stay as they are.
      fillTemplates(el.template.value, el.message.value);
      changed(0);
    });
    el.template.addEventListener("change", () => {
      fillTemplates(el.template.value);
      changed(0);
    });
    el.message.addEventListener("input", () => {
      if (!usingCatalogueText()) {
        state.ownWords = el.message.value;
        if (el.template.value) el.template.value = "";
      }
      changed();
    });
    for (const input of [el.tags, el.hashtags]) input.addEventListener("input", () => changed());
    el.platforms.addEventListener("change", () => { syncTabs(); changed(0); });
    el.styles.addEventListener("change", () => changed(0));
  }

  async function start() {
    try {
      const response = await fetch("/api/options");
      if (!response.ok) throw new Error(await errorFrom(response));
      state.options = await response.json();
    } catch (_) {
      showError("the page could not load its choices; reload it, or start `solidarity serve` again");
      return;
    }
    fillOptions(state.options);
    wire();
    document.documentElement.classList.add("ready");
    schedulePreview(0);
  }

  start();
})();

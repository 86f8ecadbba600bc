// The page's behaviour: fill the form from /api/options, check the message against every ticked platform
// as the supporter types, keep a live preview, make the posts, share or download them.
// Everything goes to the page's own server; nothing is sent anywhere else.
"use strict";

(() => {
  const CHECK_DELAY_MS = 250;
  const PREVIEW_DELAY_MS = 400;
  const CONFIRM_MS = 2000;
  const $ = (id) => document.getElementById(id);
  const el = {
    form: $("form"), flowerGrid: $("flower-grid"), hl: $("hl"), hlApply: $("hl-apply"),
    species: $("species"), seed: $("seed"), growAnother: $("grow-another"),
    sourceOurs: $("source-ours"), sourceGrow: $("source-grow"), sourcePhoto: $("source-photo"),
    oursBody: $("ours-body"), growBody: $("grow-body"), photoBody: $("photo-body"),
    photo: $("photo"), camera: $("camera"), photoError: $("photo-error"),
    photoChosen: $("photo-chosen"), photoName: $("photo-name"), removePhoto: $("remove-photo"),
    lang: $("lang"), template: $("template"), message: $("message"), messageError: $("message-error"),
    fit: $("fit"), tags: $("tags"), hashtags: $("hashtags"), tagsError: $("tags-error"), moreTags: $("more-tags"),
    platforms: $("platforms"), styles: $("styles"), make: $("make"), status: $("status"), error: $("error"),
    preview: $("preview"), frame: $("frame"), tabs: $("preview-tabs"),
    results: $("results"), resultList: $("result-list"), resultsTitle: $("results-title"), stale: $("stale"),
    downloadAll: $("download-all"), resultTemplate: $("result-template"), animate: $("animate"),
  };
  const words = JSON.parse($("page-strings").textContent);
  const pageLanguage = document.documentElement.lang;
  const maxUpload = Number(document.body.dataset.maxUpload);
  const maxUploadText = document.body.dataset.maxUploadText;

  const state = {
    options: null,
    photo: null,            // { original: File, upload: Blob|File, name } kept only in this page's memory
    photoToken: 0,          // bumped by every photo chosen or removed: older work on a photo is dropped
    previewFormat: null,
    ownWords: "",           // what the supporter wrote, kept while they try a catalogue message
    timers: { preview: 0, check: 0 },
    controllers: { preview: null, check: null },
    previewUrl: null,
    posts: [],              // the made posts: { post, blob, file }
    resultUrls: [],
  };

  // --- helpers ------------------------------------------------------------------------------------------

  const say = (text, params = {}) => text.replace(/%\((\w+)\)s/g, (_, name) => String(params[name] ?? ""));

  const errorBoxes = {
    photo: () => el.photoError, message: () => el.messageError, tags: () => el.tagsError, form: () => el.error,
  };
  const fieldsOf = {
    photo: () => [el.photo, el.camera], message: () => [el.message], tags: () => [el.tags, el.hashtags], form: () => [],
  };

  function showError(field, message) {
    // One error per place; each sits next to what caused it and is named by that field's aria-describedby.
    const place = errorBoxes[field] ? field : "form";
    errorBoxes[place]().textContent = message || "";
    if (message && place === "tags") el.moreTags.open = true;
    fieldsOf[place]().forEach((input) => {
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
    el.frame.classList.toggle("failed", Object.values(errorBoxes).some((box) => box().textContent));
  }

  function clearErrors(...fields) {
    fields.forEach((field) => showError(field, ""));
  }

  function announce(message) {
    el.status.textContent = message;
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
      if (body && body.error) return { field: body.field || "form", message: body.error };
    } catch (_) { /* not JSON */ }
    return { field: "form", message: words.offline };
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

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  function confirmOn(button) {
    // The confirmation shows on the button itself, then the button reads as before.
    const label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = `✓ ${words.copied}`;
    button.classList.add("done");
    window.clearTimeout(Number(button.dataset.timer || 0));
    button.dataset.timer = String(window.setTimeout(() => {
      button.textContent = label;
      button.classList.remove("done");
    }, CONFIRM_MS));
  }

  // --- the form -----------------------------------------------------------------------------------------

  function fillOptions(options) {
    const { flowers, languages, formats, styles, defaults } = options;
    flowers.bundled.forEach((f) => {
      const tile = document.createElement("div");
      tile.className = "tile";
      tile.innerHTML = `<input type="radio" name="flower" id="flower-${f.value}">
        <label for="flower-${f.value}"><img alt="" width="96" height="120" loading="lazy" decoding="async"><span class="tile-name"></span></label>`;
      const radio = tile.querySelector("input");
      radio.value = f.value;
      radio.checked = f.value === defaults.flower;
      tile.querySelector("img").src = f.thumbnail;
      tile.querySelector("span").textContent = f.label;
      el.flowerGrid.append(tile);
    });
    flowers.species.forEach((s) => el.species.append(option(s.value, s.label.charAt(0).toUpperCase() + s.label.slice(1))));

    languages.forEach((l) => el.lang.append(option(l.code, l.name)));
    el.lang.value = languages.some((l) => l.code === pageLanguage) ? pageLanguage : defaults.language;
    fillTemplates(defaults.template);

    formats.forEach((f) => {
      // Compact: the platform's name and the post's shape; the full name (with the shape in words) is read out.
      const item = chip("checkbox", "format", f.name, f.label);
      item.querySelector("input").checked = f.name === defaults.format;
      const name = item.querySelector(".chip-name");
      name.classList.add("visually-hidden");
      const shape = document.createElement("span");
      shape.className = "shape";
      shape.setAttribute("aria-hidden", "true");
      shape.style.aspectRatio = `${f.width} / ${f.height}`;
      const brand = document.createElement("span");
      brand.setAttribute("aria-hidden", "true");
      brand.textContent = f.brand;
      name.before(shape, brand);
      item.title = f.label;
      el.platforms.append(item);
    });
    styles.forEach((s) => {
      const item = chip("radio", "style", s.name, s.label);
      item.querySelector("input").checked = s.name === defaults.style;
      const swatch = document.createElement("span");
      swatch.className = `swatch swatch-${s.name}`;
      swatch.setAttribute("aria-hidden", "true");
      item.querySelector("label").prepend(swatch);
      el.styles.append(item);
    });
    syncFlower();
    syncTabs();
  }

  function chip(type, name, value, label) {
    const item = document.createElement("div");
    item.className = "chip";
    const id = `${name}-${value}`;
    item.innerHTML = `<input type="${type}" name="${name}" id="${id}"><label for="${id}"><span class="chip-name"></span></label>`;
    item.querySelector("input").value = value;
    item.querySelector(".chip-name").textContent = label;
    return item;
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
    el.template.replaceChildren(...templatesFor(code).map((t) => option(t.id, t.title)), option("", words.own_words));
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
    return el.flowerGrid.querySelector("input:checked") || el.flowerGrid.querySelector("input");
  }

  function syncFlower() {
    const from = source();
    el.oursBody.hidden = from !== "ours";
    el.growBody.hidden = from !== "grow";
    el.photoBody.hidden = from !== "photo";
  }

  function chosenFormats() {
    return [...el.platforms.querySelectorAll("input:checked")].map((box) => box.value);
  }

  function format(name) {
    return state.options.formats.find((f) => f.name === name);
  }

  function syncTabs() {
    const chosen = chosenFormats();
    if (!chosen.includes(state.previewFormat)) state.previewFormat = chosen[0] || null;
    el.tabs.replaceChildren(...chosen.map((name) => {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.className = "tab";
      tab.textContent = format(name).label;
      tab.setAttribute("aria-pressed", String(name === state.previewFormat));
      tab.addEventListener("click", () => {
        state.previewFormat = name;
        syncTabs();
        schedulePreview(0);
      });
      return tab;
    }));
    el.tabs.hidden = chosen.length < 2;
  }

  // --- the photo ----------------------------------------------------------------------------------------

  function largestNeed(width, height) {
    // The scale the largest ticked post needs: the photo covers each format's canvas (never enlarged).
    const scales = chosenFormats().map((name) => {
      const f = format(name);
      return Math.max(f.width / width, f.height / height);
    });
    return Math.min(1, Math.max(0, ...scales));
  }

  async function prepared(file) {
    // Upright by its EXIF orientation, no bigger than the posts need, re-encoded as JPEG (which drops the
    // metadata). A photo this browser cannot decode (HEIC on most browsers) goes as it is: the server cleans it.
    if (!window.createImageBitmap) return file;
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (_) {
      return file;
    }
    try {
      const scale = largestNeed(bitmap.width, bitmap.height) || 1;
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(bitmap, 0, 0, width, height);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.92));
      return blob || file;
    } finally {
      bitmap.close();
    }
  }

  function forgetPhoto() {
    state.photoToken += 1;
    state.photo = null;
    el.photo.value = "";
    el.camera.value = "";
    el.photoChosen.hidden = true;
    el.photoName.textContent = "";
  }

  function clearPreview() {
    cancel("preview");
    if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
    state.previewUrl = null;
    el.preview.removeAttribute("src");
    el.preview.alt = "";
    el.preview.classList.remove("loaded");
    el.frame.setAttribute("aria-busy", "false");
  }

  function rejectPhoto(message) {
    // A refused photo leaves nothing behind: not the old photo, not its preview, and the picker is empty.
    forgetPhoto();
    clearPreview();
    showError("photo", message);
  }

  async function choosePhoto(file) {
    if (!file) return;
    if (file.size > maxUpload) {
      rejectPhoto(say(words.too_large, { size: maxUploadText }));
      return;
    }
    state.photoToken += 1;  // any earlier photo's work is dropped; the picker keeps showing this one
    state.photo = null;
    const token = state.photoToken;
    clearErrors("photo");
    const upload = await prepared(file);
    if (token !== state.photoToken) return;  // another photo was chosen meanwhile
    state.photo = { original: file, upload, name: file.name || "photo.jpg" };
    el.photoChosen.hidden = false;
    el.photoName.textContent = say(words.using_photo, { name: state.photo.name });
    changed(0);
  }

  async function reprepare() {
    // The ticked platforms decide how large the photo must be.
    if (!state.photo) return;
    const token = state.photoToken;
    const upload = await prepared(state.photo.original);
    if (token === state.photoToken && state.photo) state.photo.upload = upload;
  }

  // --- the request --------------------------------------------------------------------------------------

  function formData(formats, withPhoto = true) {
    const data = new FormData();
    const from = source();
    if (from === "photo" && state.photo && withPhoto) {
      data.append("photo", state.photo.upload, state.photo.name);
    } else if (from === "grow") {
      const seed = Math.min(999999, Math.max(0, Math.floor(Number(el.seed.value) || 0)));  // the field's range: "1e30" is a number too
      data.append("flower", `${el.species.value}:${seed}`);
    } else if (from === "ours") {
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

  function cancel(kind) {
    window.clearTimeout(state.timers[kind]);
    if (state.controllers[kind]) state.controllers[kind].abort();
    state.controllers[kind] = null;
  }

  async function send(kind, url, body) {
    // Only the newest request of each kind counts: an older answer never overwrites a newer one.
    cancel(kind);
    const controller = new AbortController();
    state.controllers[kind] = controller;
    try {
      const address = `${url}?hl=${encodeURIComponent(pageLanguage)}`;  // errors come back in the page's language
      const response = await fetch(address, { method: "POST", body, signal: controller.signal });
      const payload = response.ok ? (kind === "preview" ? await response.blob() : await response.json())
        : await errorFrom(response);
      if (state.controllers[kind] !== controller) return null;
      state.controllers[kind] = null;
      return { ok: response.ok, response, payload };
    } catch (error) {
      if (error.name === "AbortError" || state.controllers[kind] !== controller) return null;
      state.controllers[kind] = null;
      return { ok: false, payload: { field: "form", message: words.offline } };
    }
  }

  // --- checking every ticked platform -------------------------------------------------------------------

  function scheduleCheck(delay = CHECK_DELAY_MS) {
    window.clearTimeout(state.timers.check);
    state.timers.check = window.setTimeout(check, delay);
  }

  async function check() {
    const formats = chosenFormats();
    if (!formats.length) {
      el.fit.replaceChildren();
      return;
    }
    const answer = await send("check", "/api/check", formData(formats, false));
    if (!answer) return;
    if (!answer.ok || answer.payload.error) {
      const { field, message, error } = answer.payload;
      showError(field === "photo" ? "form" : field || "form", message || error);
      el.fit.replaceChildren();
      return;
    }
    clearErrors("message", "tags");
    showFit(answer.payload.formats);
  }

  function showFit(results) {
    el.fit.replaceChildren(...results.map((result) => {
      const item = document.createElement("li");
      item.className = result.fits ? "fits" : "too-long";
      item.dataset.format = result.format;
      const mark = document.createElement("span");
      mark.className = "mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = result.fits ? "✓" : "✗";
      const name = document.createElement("strong");
      name.textContent = result.label;
      item.append(mark, name, `: ${result.text}`);
      if (!result.fits) item.title = result.error;
      return item;
    }));
    const tooLong = new Set(results.filter((r) => !r.fits).map((r) => r.format));
    el.platforms.querySelectorAll(".chip").forEach((item) => {
      item.classList.toggle("too-long", tooLong.has(item.querySelector("input").value));
    });
  }

  // --- the live preview ---------------------------------------------------------------------------------

  function schedulePreview(delay = PREVIEW_DELAY_MS) {
    window.clearTimeout(state.timers.preview);
    state.timers.preview = window.setTimeout(updatePreview, delay);
  }

  async function updatePreview() {
    if (!state.previewFormat) {
      showError("form", words.no_platform);
      return;
    }
    if (source() === "photo" && !state.photo) return;  // nothing to show until a photo is chosen
    const token = state.photoToken;
    el.frame.setAttribute("aria-busy", "true");
    const answer = await send("preview", "/api/preview", formData([state.previewFormat]));
    if (!answer) return;  // a newer preview is on its way
    el.frame.setAttribute("aria-busy", "false");
    if (!answer.ok) {
      const { field, message } = answer.payload;
      if (field === "photo" && token === state.photoToken && source() === "photo") rejectPhoto(message);
      else showError(field, message);
      return;
    }
    const url = URL.createObjectURL(answer.payload);
    el.preview.onload = () => {
      el.preview.classList.add("loaded");
      el.frame.style.aspectRatio = `${el.preview.naturalWidth} / ${el.preview.naturalHeight}`;
    };
    el.preview.alt = decodeURIComponent(answer.response.headers.get("X-Alt-Text") || "");
    el.preview.src = url;
    if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
    state.previewUrl = url;
    clearErrors("form", "photo", "tags");
  }

  // --- making the posts ---------------------------------------------------------------------------------

  async function makePosts(event) {
    event.preventDefault();
    const formats = chosenFormats();
    if (!formats.length) {
      showError("form", words.no_platform);
      return;
    }
    if (source() === "photo" && !state.photo) {
      showError("photo", words.no_photo);
      el.photo.focus();
      return;
    }
    el.make.disabled = true;
    el.make.setAttribute("aria-busy", "true");
    announce(words.making);
    try {
      const answer = await send("post", "/api/post", formData(formats));
      if (!answer) return;
      if (!answer.ok) {
        const { field, message } = answer.payload;
        if (field === "photo") rejectPhoto(message);
        else showError(field, message);
        announce("");
        return;
      }
      showResults(answer.payload.posts);
      clearErrors("form");
      announce(words.ready);
      if (el.animate && el.animate.checked) await makeVideo();  // absent without the video extra
    } finally {
      el.make.disabled = false;
      el.make.removeAttribute("aria-busy");
    }
  }

  // --- the animated post: a quick small clip at once, then the full-size one to share ----------------------

  async function fetchVideo(quick) {
    const address = `/api/animate?hl=${encodeURIComponent(pageLanguage)}${quick ? "&quick=1" : ""}`;
    const response = await fetch(address, { method: "POST", body: formData([]) });
    if (!response.ok) return { ok: false, payload: await errorFrom(response) };
    const disposition = response.headers.get("Content-Disposition") || "";
    const filename = (disposition.match(/filename="([^"]+)"/) || [])[1] || "solidarity-post.mp4";
    return {
      ok: true, blob: await response.blob(), filename,
      caption: decodeURIComponent(response.headers.get("X-Caption") || ""),
      alt: decodeURIComponent(response.headers.get("X-Alt-Text") || ""),
    };
  }

  async function makeVideo() {
    announce(words.animating);
    let card = null;
    for (const quick of [true, false]) {
      let made;
      try {
        made = await fetchVideo(quick);
      } catch (_) {
        showError("form", words.offline);
        return;
      }
      if (!made.ok) {
        showError(made.payload.field === "photo" ? "form" : made.payload.field, made.payload.message);
        return;
      }
      const file = new File([made.blob], made.filename, { type: "video/mp4" });
      const post = {
        format: "animated", label: words.animated, width: 1080, height: 1920, filename: made.filename,
        media_type: "video/mp4", bytes: made.blob.size, caption: made.caption, alt_text: made.alt,
        language: el.lang.value, direction: document.documentElement.dir, warnings: [],
      };
      const fresh = resultCard({ post, blob: made.blob, file });
      const video = document.createElement("video");
      Object.assign(video, { src: fresh.querySelector("img").src, loop: true, muted: true, autoplay: true,
                             playsInline: true, controls: true });
      video.className = "result-image";
      video.setAttribute("aria-label", made.alt);
      fresh.querySelector("img").replaceWith(video);
      fresh.querySelector(".share").disabled = quick;  // share the full-size clip, not the quick one
      if (card) card.replaceWith(fresh);
      else el.resultList.append(fresh);
      card = fresh;
    }
    state.video = card;
    announce(words.video_ready);
  }

  function showResults(posts) {
    state.resultUrls.forEach((url) => URL.revokeObjectURL(url));
    state.resultUrls = [];
    state.posts = posts.map((post) => {
      const blob = blobFromDataUrl(post.image);
      return { post, blob, file: new File([blob], post.filename, { type: post.media_type }) };
    });
    el.resultList.replaceChildren(...state.posts.map(resultCard));
    el.results.hidden = false;
    el.stale.hidden = true;
    el.resultsTitle.focus({ preventScroll: true });
    el.results.scrollIntoView({ block: "start" });
  }

  function canShare(file) {
    try {
      return Boolean(navigator.canShare && navigator.share && navigator.canShare({ files: [file] }));
    } catch (_) {
      return false;
    }
  }

  function resultCard(made) {
    const { post, blob, file } = made;
    const card = el.resultTemplate.content.firstElementChild.cloneNode(true);
    const id = `result-${post.format}`;
    const url = URL.createObjectURL(blob);
    state.resultUrls.push(url);
    const image = card.querySelector("img");
    image.src = url;
    image.alt = post.alt_text;
    image.lang = post.language;
    image.width = post.width;
    image.height = post.height;
    const title = card.querySelector(".result-title");
    title.id = `${id}-title`;
    title.textContent = post.label;
    const size = document.createElement("bdi");
    size.textContent = kilobytes(post.bytes);
    const name = document.createElement("bdi");
    name.textContent = post.filename;
    card.querySelector(".result-meta").replaceChildren(size, " · ", name);
    const share = card.querySelector(".share");
    const sharing = canShare(file);
    share.textContent = sharing ? words.share : words.download;
    share.setAttribute("aria-describedby", title.id);
    share.addEventListener("click", async () => {
      if (!sharing) {
        download(blob, post.filename);
        return;
      }
      try {
        await navigator.share({ files: [file], text: post.caption });
      } catch (error) {
        if (error.name !== "AbortError") download(blob, post.filename);
      }
    });
    const warnings = card.querySelector(".warnings");
    post.warnings.forEach((w) => {
      const item = document.createElement("li");
      item.textContent = w;
      warnings.append(item);
    });
    warnings.hidden = post.warnings.length === 0;
    for (const [kind, text] of [["caption", post.caption], ["alt", post.alt_text]]) {
      const field = card.querySelector(`textarea.${kind}`);
      field.id = `${id}-${kind}`;
      field.value = text;
      field.lang = post.language;
      field.dir = post.direction;
      const label = card.querySelector(`.${kind}-label`);
      label.htmlFor = field.id;
      const which = document.createElement("span");
      which.className = "visually-hidden";  // each card's fields are told apart by screen readers
      which.textContent = ` (${post.label})`;
      label.append(which);
      const button = card.querySelector(`.copy-${kind}`);
      button.setAttribute("aria-describedby", field.id);
      button.addEventListener("click", () => copy(field, button));
    }
    return card;
  }

  async function copy(field, button) {
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error("no clipboard API");
      await navigator.clipboard.writeText(field.value);
    } catch (_) {
      // Older browsers, or a page opened over plain HTTP on the network: copy the selection.
      field.focus();
      field.select();
      const copied = document.execCommand && document.execCommand("copy");
      if (!copied) {
        announce(words.copy_blocked);
        return;
      }
    }
    confirmOn(button);
  }

  // --- download all: one zip (stored, not compressed: JPEGs do not shrink) ------------------------------

  const CRC_TABLE = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  function crc32(bytes) {
    let crc = 0xffffffff;
    for (let i = 0; i < bytes.length; i += 1) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  }

  function zip(entries) {
    const encoder = new TextEncoder();
    const parts = [];
    const central = [];
    let offset = 0;
    for (const { name, bytes } of entries) {
      const nameBytes = encoder.encode(name);
      const crc = crc32(bytes);
      const local = new DataView(new ArrayBuffer(30));
      local.setUint32(0, 0x04034b50, true);
      local.setUint16(4, 20, true);
      local.setUint16(6, 0x0800, true);  // names are UTF-8
      local.setUint16(8, 0, true);       // stored
      local.setUint16(12, 0x21, true);   // 1980-01-01: the same bytes every time
      local.setUint32(14, crc, true);
      local.setUint32(18, bytes.length, true);
      local.setUint32(22, bytes.length, true);
      local.setUint16(26, nameBytes.length, true);
      parts.push(local, nameBytes, bytes);
      const entry = new DataView(new ArrayBuffer(46));
      entry.setUint32(0, 0x02014b50, true);
      entry.setUint16(4, 20, true);
      entry.setUint16(6, 20, true);
      entry.setUint16(8, 0x0800, true);
      entry.setUint16(14, 0x21, true);
      entry.setUint32(16, crc, true);
      entry.setUint32(20, bytes.length, true);
      entry.setUint32(24, bytes.length, true);
      entry.setUint16(28, nameBytes.length, true);
      entry.setUint32(42, offset, true);
      central.push(entry, nameBytes);
      offset += 30 + nameBytes.length + bytes.length;
    }
    const size = central.reduce((total, part) => total + part.byteLength, 0);
    const end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true);
    end.setUint16(8, entries.length, true);
    end.setUint16(10, entries.length, true);
    end.setUint32(12, size, true);
    end.setUint32(16, offset, true);
    return new Blob([...parts, ...central, end], { type: "application/zip" });
  }

  async function downloadAll() {
    const encoder = new TextEncoder();
    const entries = [];
    for (const { post, blob } of state.posts) {
      const stem = post.filename.replace(/\.[^.]+$/, "");
      entries.push({ name: post.filename, bytes: new Uint8Array(await blob.arrayBuffer()) });
      entries.push({ name: `${stem}.caption.txt`, bytes: encoder.encode(`${post.caption}\n`) });
      entries.push({ name: `${stem}.alt.txt`, bytes: encoder.encode(`${post.alt_text}\n`) });
    }
    download(zip(entries), "solidarity-posts.zip");
  }

  // --- wiring -------------------------------------------------------------------------------------------

  function changed(delay) {
    if (!el.results.hidden) el.stale.hidden = false;
    schedulePreview(delay);
  }

  function textChanged() {
    changed();
    scheduleCheck();
  }

  function wire() {
    el.form.addEventListener("submit", makePosts);
    el.hl.addEventListener("change", () => el.hl.form.submit());
    el.hlApply.hidden = true;
    el.flowerGrid.addEventListener("change", () => changed(0));
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
      input.addEventListener("change", () => { if (input.files.length) choosePhoto(input.files[0]); });
    }
    el.removePhoto.addEventListener("click", () => {
      forgetPhoto();
      clearPreview();
      clearErrors("photo");
      el.photo.focus();
    });
    el.photoBody.addEventListener("dragover", (event) => event.preventDefault());
    el.photoBody.addEventListener("drop", (event) => {
      event.preventDefault();
      choosePhoto(event.dataTransfer.files[0]);
    });
    el.lang.addEventListener("change", () => {
      // The same catalogue message in the new language; the supporter's own words stay as they are.
      fillTemplates(el.template.value, el.message.value);
      changed(0);
      scheduleCheck(0);
    });
    el.template.addEventListener("change", () => {
      fillTemplates(el.template.value);
      changed(0);
      scheduleCheck(0);
    });
    el.message.addEventListener("input", () => {
      if (!usingCatalogueText()) {
        state.ownWords = el.message.value;
        if (el.template.value) el.template.value = "";
      }
      textChanged();
    });
    for (const input of [el.tags, el.hashtags]) input.addEventListener("input", textChanged);
    el.platforms.addEventListener("change", async () => {
      syncTabs();
      scheduleCheck(0);
      await reprepare();
      changed(0);
    });
    el.styles.addEventListener("change", () => changed(0));
    el.downloadAll.addEventListener("click", downloadAll);
  }

  async function start() {
    try {
      const response = await fetch(`/api/options?hl=${encodeURIComponent(pageLanguage)}`);
      if (!response.ok) throw new Error(String(response.status));
      state.options = await response.json();
    } catch (_) {
      showError("form", words.offline);
      return;
    }
    fillOptions(state.options);
    wire();
    document.documentElement.classList.add("ready");
    schedulePreview(0);
    scheduleCheck(0);
  }

  start();
})();

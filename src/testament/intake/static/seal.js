/*
 * seal.js: progressive enhancement of the intake's submission form. When JavaScript runs, the
 * message and every file are encrypted here, in the source's browser, to the reviewers' age
 * recipients that the page lists in `data-recipients`, and only ciphertext is uploaded: the intake
 * never sees the plaintext at all. Without JavaScript nothing here runs and the form posts
 * plaintext, which the intake encrypts while it streams in (see src/testament/intake/PROTOCOL.md).
 *
 * What the browser seals is the same `testament-item/2` plaintext the server would write
 * (src/testament/crypto/items.py):
 *     "testament-item/2\n" + {"kind":..,"filename":..,"content_type":..} + "\n"
 *     + the bytes in chunks (a 4-byte big-endian length, then the bytes) + a zero length
 *     + zero bytes of padding up to the Padmé length (at least 64 KiB),
 * so that the ciphertext's size on the intake's disk does not give away the exact size of the
 * message or file.
 * and it goes up as multipart parts `sealed_message` / `sealed_file` (application/octet-stream),
 * beside the form's other fields (`csrf_token`, ...), to the form's own action, through an
 * ordinary form submission of a hidden form (not fetch): the intake's CSP needs no connect-src,
 * the browser streams the ciphertext from its blob storage, shows its own progress and follows
 * the server's 303 to the confirmation page exactly as for the plain form.
 *
 * Files are encrypted as streams (File.stream() through age's STREAM encryption) and the
 * ciphertext is collected into Blobs in 8 MiB slices. Browsers keep such Blobs in memory, with a
 * cap (Chromium refuses to read back more than about 512 MiB of them: ERR_BLOB_REFERENCED_BLOB_
 * BROKEN; phones hold less). So the browser seals at most `data-seal-max-bytes` of files in all
 * (default 256 MiB, message first, then files in the order chosen); a file that does not fit is
 * sent in the same submission as an ordinary `file` part, streamed from disk by the browser and
 * encrypted by the server while it arrives, exactly as without JavaScript. The message is always
 * sealed here.
 *
 * Safety rules: this file never breaks the plain form. It steps in only when everything it needs
 * is present (the age bundle, which it loads from beside itself; WebCrypto in a secure context,
 * which Tor Browser gives .onion sites; valid recipients); if sealing fails, the form is
 * submitted the ordinary way (the server then encrypts on arrival, as for a browser without
 * JavaScript). No inline script, no eval, no external resource:
 * CSP `script-src 'self'` is enough. The plaintext is never kept in the browser (no web storage,
 * no cookie).
 */
(function () {
  "use strict";

  var ITEM_MAGIC = "testament-item/2\n";
  var MAX_CHUNK_BYTES = 16 * 1024 * 1024; // an item's body chunk, at most
  var MIN_PADDED_BYTES = 64 * 1024; // every item is padded to at least this
  var ZERO_PIECE_BYTES = 1024 * 1024; // padding is written in pieces of at most this
  var MESSAGE_CONTENT_TYPE = "text/plain; charset=utf-8";
  var FILE_CONTENT_TYPE = "application/octet-stream";
  var BLOB_SLICE_BYTES = 8 * 1024 * 1024; // ciphertext handed to a Blob every 8 MiB
  var DEFAULT_SEAL_MAX_BYTES = 256 * 1024 * 1024; // files sealed in the browser, in all
  var PLAINTEXT_FIELDS = { message: true, file: true };

  // Status lines, used when the page gives none in data-text-* attributes of the form.
  var TEXTS = {
    en: {
      sealing: "Encrypting in your browser…",
      sending: "Sending encrypted data…",
    },
    ru: {
      sealing: "Шифруем в вашем браузере…",
      sending: "Отправляем зашифрованные данные…",
    },
  };

  function text(form, key) {
    var own = form.getAttribute("data-text-" + key);
    if (own) {
      return own;
    }
    var lang = (document.documentElement.getAttribute("lang") || "en").slice(0, 2).toLowerCase();
    return (TEXTS[lang] || TEXTS.en)[key];
  }

  function recipientsOf(form) {
    var holder = form.hasAttribute("data-recipients")
      ? form
      : form.closest("[data-recipients]") || document.querySelector("[data-recipients]");
    if (!holder) {
      return [];
    }
    var raw = holder.getAttribute("data-recipients") || "";
    var list;
    try {
      list = raw.trim().charAt(0) === "[" ? JSON.parse(raw) : raw.split(/[\s,]+/);
    } catch (error) {
      return [];
    }
    return list.filter(function (r) {
      return typeof r === "string" && /^age1[02-9ac-hj-np-z]{58}$/.test(r);
    });
  }

  function browserCanSeal() {
    return (
      window.isSecureContext === true &&
      typeof window.crypto === "object" &&
      typeof window.crypto.subtle === "object" &&
      typeof window.ReadableStream === "function" &&
      typeof window.TransformStream === "function" &&
      typeof window.DataTransfer === "function" &&
      typeof window.File === "function" &&
      typeof window.FormData === "function" &&
      typeof window.TextEncoder === "function"
    );
  }

  function bundleLoaded() {
    return (
      typeof window.testamentAge === "object" &&
      typeof window.testamentAge.Encrypter === "function"
    );
  }

  function itemHeader(kind, filename, contentType) {
    // JSON.stringify writes compact JSON with keys in this order, like the server's encoder.
    var line = JSON.stringify({ kind: kind, filename: filename, content_type: contentType });
    return new TextEncoder().encode(ITEM_MAGIC + line + "\n");
  }

  // Padmé (as crypto/items.py padded_length): keep the top floor(log2 E) + 1 bits of a length
  // whose highest bit is E, round the rest up. Plain arithmetic, not bit operators, which are
  // 32-bit in JavaScript; exact for every length below 2^53.
  function paddedLength(length) {
    if (length <= MIN_PADDED_BYTES) {
      return MIN_PADDED_BYTES;
    }
    var exponent = 0;
    while (Math.pow(2, exponent + 1) <= length) {
      exponent += 1;
    }
    var exponentBits = 0;
    while (Math.pow(2, exponentBits) <= exponent) {
      exponentBits += 1;
    }
    var unit = Math.pow(2, exponent - exponentBits);
    return Math.ceil(length / unit) * unit;
  }

  function lengthPrefix(n) {
    var prefix = new Uint8Array(4);
    new DataView(prefix.buffer).setUint32(0, n, false);
    return prefix;
  }

  // The item's plaintext as a stream: the header, the body's chunks framed, the end mark and
  // the padding.
  function asItem(header, body) {
    var written = 0;
    function put(controller, bytes) {
      written += bytes.length;
      controller.enqueue(bytes);
    }
    return body.pipeThrough(
      new TransformStream({
        start: function (controller) {
          put(controller, header);
        },
        transform: function (chunk, controller) {
          for (var start = 0; start < chunk.length; start += MAX_CHUNK_BYTES) {
            var piece = chunk.subarray(start, start + MAX_CHUNK_BYTES);
            put(controller, lengthPrefix(piece.length));
            put(controller, piece);
          }
        },
        flush: function (controller) {
          put(controller, lengthPrefix(0));
          var padding = paddedLength(written) - written;
          while (padding > 0) {
            var size = Math.min(padding, ZERO_PIECE_BYTES);
            controller.enqueue(new Uint8Array(size));
            padding -= size;
          }
        },
      })
    );
  }

  // Read a ciphertext stream into a Blob, a few MiB of JavaScript memory at a time.
  function collect(stream) {
    var reader = stream.getReader();
    var blobs = [];
    var pending = [];
    var pendingBytes = 0;
    function flush() {
      if (pending.length) {
        blobs.push(new Blob(pending));
        pending = [];
        pendingBytes = 0;
      }
    }
    function step() {
      return reader.read().then(function (next) {
        if (next.done) {
          flush();
          return new Blob(blobs, { type: FILE_CONTENT_TYPE });
        }
        pending.push(next.value);
        pendingBytes += next.value.length;
        if (pendingBytes >= BLOB_SLICE_BYTES) {
          flush();
        }
        return step();
      });
    }
    return step();
  }

  function seal(encrypter, header, body) {
    return encrypter.encrypt(asItem(header, body)).then(collect);
  }

  function messageStream(value) {
    // Line breaks as CRLF, the way a browser encodes a textarea in an ordinary form submission,
    // so that a message has the same bytes (and the same SHA-256) with and without JavaScript.
    var bytes = new TextEncoder().encode(value.replace(/\r\n|\r|\n/g, "\r\n"));
    return new ReadableStream({
      start: function (controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
  }

  // The form's fields other than the plaintext ones (csrf_token, language, the submit button).
  function otherFields(form, submitter) {
    var data;
    try {
      data = submitter ? new FormData(form, submitter) : new FormData(form);
    } catch (error) {
      data = new FormData(form);
    }
    var out = [];
    data.forEach(function (value, name) {
      if (!PLAINTEXT_FIELDS[name] && typeof value === "string") {
        out.push([name, value]);
      }
    });
    return out;
  }

  function sealBudget(form) {
    var own = parseInt(form.getAttribute("data-seal-max-bytes") || "", 10);
    return own >= 0 ? own : DEFAULT_SEAL_MAX_BYTES;
  }

  // Encrypt the message and the chosen files that fit the budget. Resolves to [field name,
  // Blob or File] pairs in the form's order: ["sealed_message", ciphertext], ["sealed_file",
  // ciphertext] or, for a file over the budget, ["file", the chosen File itself].
  function sealAll(form, recipients) {
    var encrypter = new window.testamentAge.Encrypter();
    recipients.forEach(function (r) {
      encrypter.addRecipient(r);
    });
    var jobs = [];
    var message = form.elements.namedItem("message");
    if (message && typeof message.value === "string" && message.value.trim() !== "") {
      var header = itemHeader("message", null, MESSAGE_CONTENT_TYPE);
      jobs.push(
        seal(encrypter, header, messageStream(message.value)).then(function (blob) {
          return ["sealed_message", blob];
        })
      );
    }
    var budget = sealBudget(form);
    var inputs = form.querySelectorAll('input[type="file"][name="file"]');
    Array.prototype.forEach.call(inputs, function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) {
        if (file.size > budget) {
          jobs.push(Promise.resolve(["file", file]));
          return;
        }
        budget -= file.size;
        var header = itemHeader("file", file.name || "unnamed", file.type || FILE_CONTENT_TYPE);
        jobs.push(
          seal(encrypter, header, file.stream()).then(function (blob) {
            return ["sealed_file", blob];
          })
        );
      });
    });
    return Promise.all(jobs);
  }

  // A hidden form carrying the other fields and, in file inputs, the sealed Blobs.
  function sealedForm(form, submitter, parts) {
    var hidden = document.createElement("form");
    hidden.method = "post";
    hidden.action = form.action || window.location.href;
    hidden.enctype = "multipart/form-data";
    hidden.acceptCharset = "utf-8";
    hidden.hidden = true;
    hidden.setAttribute("data-sealed-upload", "");
    otherFields(form, submitter).forEach(function (pair) {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = pair[0];
      field.value = pair[1];
      hidden.appendChild(field);
    });
    parts.forEach(function (part) {
      var transfer = new DataTransfer();
      if (part[0] === "file") {
        transfer.items.add(part[1]); // too large to seal here: the server encrypts it
      } else {
        // A neutral part file name: the real one travels only inside the ciphertext.
        transfer.items.add(new File([part[1]], "sealed.age", { type: FILE_CONTENT_TYPE }));
      }
      var field = document.createElement("input");
      field.type = "file";
      field.name = part[0];
      field.files = transfer.files;
      hidden.appendChild(field);
    });
    return hidden;
  }

  function removeSealedForms() {
    var forms = document.querySelectorAll("form[data-sealed-upload]");
    Array.prototype.forEach.call(forms, function (f) {
      f.parentNode.removeChild(f);
    });
  }

  function setStatus(form, key) {
    var slot = form.querySelector("[data-seal-status]");
    if (!slot) {
      slot = document.createElement("p");
      slot.setAttribute("data-seal-status", "");
      slot.setAttribute("role", "status");
      slot.setAttribute("aria-live", "polite");
      form.appendChild(slot);
    }
    slot.textContent = key ? text(form, key) : "";
    if (key && slot.scrollIntoView) {
      // on a phone the button may be at the bottom of the screen: keep the status in view
      slot.scrollIntoView({ block: "nearest" });
    }
  }

  function setBusy(form, busy) {
    var buttons = form.querySelectorAll("button, input[type=submit]");
    Array.prototype.forEach.call(buttons, function (b) {
      b.disabled = busy;
    });
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function onSubmit(event) {
    var form = event.currentTarget;
    if (form.getAttribute("data-sealing") === "true") {
      event.preventDefault(); // already sealing: a second click must not send twice
      return;
    }
    var recipients = recipientsOf(form);
    if (!recipients.length) {
      return; // nothing to seal to: the plain form goes to the server, which encrypts
    }
    event.preventDefault();
    var submitter = event.submitter || null;
    form.setAttribute("data-sealing", "true");
    setBusy(form, true);
    setStatus(form, "sealing");
    removeSealedForms();
    sealAll(form, recipients)
      .then(function (parts) {
        var hidden = sealedForm(form, submitter, parts);
        document.body.appendChild(hidden);
        setStatus(form, "sending");
        HTMLFormElement.prototype.submit.call(hidden);
      })
      .catch(function () {
        // Sealing failed (a file that cannot be read, an old browser): rather than losing the
        // testimony, submit the form the ordinary way; the server encrypts it on arrival, as it
        // does for every browser without JavaScript.
        removeSealedForms();
        form.removeAttribute("data-sealing");
        setBusy(form, false);
        setStatus(form, null);
        HTMLFormElement.prototype.submit.call(form);
      });
  }

  function enhance(form) {
    if (form.getAttribute("data-sealed-form") === "true") {
      return;
    }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") {
      return;
    }
    if (!form.querySelector('[name="message"], input[type="file"][name="file"]')) {
      return;
    }
    if (!recipientsOf(form).length) {
      return;
    }
    form.setAttribute("data-sealed-form", "true");
    form.addEventListener("submit", onSubmit);
  }

  function enhanceAll() {
    if (!browserCanSeal() || !bundleLoaded()) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("form"), enhance);
  }

  // The age library is a separate file beside this one (static/age.bundle.js). It is loaded
  // only on pages with a form to seal, from the same origin (CSP script-src 'self'); until it
  // has loaded, or if it cannot load, the form stays the plain one.
  var BUNDLE_URL = (function () {
    var own = document.currentScript && document.currentScript.src;
    return own ? own.replace(/seal\.js(\?.*)?$/, "age.bundle.js") : "/static/age.bundle.js";
  })();

  function start() {
    var sealable = document.querySelector("form[data-recipients], [data-recipients] form");
    if (!browserCanSeal() || !sealable) {
      return;
    }
    if (bundleLoaded()) {
      enhanceAll();
      return;
    }
    var script = document.createElement("script");
    script.src = BUNDLE_URL;
    script.addEventListener("load", enhanceAll);
    document.head.appendChild(script);
  }

  // Coming back with the Back button (the page restored from the cache): ready to send again.
  window.addEventListener("pageshow", function () {
    removeSealedForms();
    var sealing = document.querySelectorAll("form[data-sealing]");
    Array.prototype.forEach.call(sealing, function (f) {
      f.removeAttribute("data-sealing");
      setBusy(f, false);
      setStatus(f, null);
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/*
 * Inwonercloud progressive enhancement. Plain ES2017, no framework, loaded with
 * <script src="/static/js/app.js" defer>. Every page works without it.
 *
 * 1. Idle-timeout warning. When a person is logged in the server renders
 *      <body data-idle-deadline="2030-01-02T15:04:05Z" data-idle-warning-seconds="120">
 *    and a hidden region
 *      <div id="idle-warning" class="ic-idle-warning" role="alertdialog"
 *           aria-labelledby="idle-warning-title" aria-describedby="idle-warning-text" hidden>
 *        <h2 id="idle-warning-title" tabindex="-1">…</h2>
 *        <p id="idle-warning-text">… <span data-idle-countdown>2:00</span> …</p>
 *        <form method="post" action="/sessie/verlengen"><button type="submit">…</button></form>
 *      </div>
 *    Within the warning period the region is shown, focus moves to its heading
 *    and the countdown ticks each second. Submitting the form extends the session
 *    with fetch (JSON answer {"idleDeadline": "<RFC3339>"}); if that fails the form
 *    is submitted the ordinary way. When the deadline passes the page goes to
 *    /sessie/verlopen. Tabs share the newest deadline through localStorage, so
 *    activity in one tab keeps the others from expiring early.
 *
 * 2. Print buttons: <button type="button" data-print hidden> is shown and calls
 *    window.print(). Keep it hidden in the markup so it only appears with script.
 */
(function () {
  'use strict';

  var EXPIRED_URL = '/sessie/verlopen';
  var STORAGE_KEY = 'inwonercloud.idleDeadline';
  var DEFAULT_WARNING_SECONDS = 120;

  // RFC 3339 with optional fractional seconds (Go's RFC3339Nano) and offset.
  // Parsed by hand because Date.parse is not reliable for 4–9 fraction digits.
  var RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

  /** parseRFC3339 returns milliseconds since the epoch, or NaN. */
  function parseRFC3339(value) {
    var m = RFC3339.exec(String(value || '').trim());
    if (!m) {
      return NaN;
    }
    var ms = m[7] ? Math.floor(Number('0.' + m[7]) * 1000) : 0;
    var t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
    if (!m[8]) {
      var offset = (+m[10] * 60 + +m[11]) * 60000;
      t -= m[9] === '+' ? offset : -offset;
    }
    return t;
  }

  /** formatRemaining turns milliseconds into "m:ss". */
  function formatRemaining(ms) {
    var total = Math.max(0, Math.ceil(ms / 1000));
    var minutes = Math.floor(total / 60);
    var seconds = total % 60;
    return minutes + ':' + (seconds < 10 ? '0' : '') + seconds;
  }

  function readShared() {
    try {
      return parseRFC3339(window.localStorage.getItem(STORAGE_KEY));
    } catch (e) {
      return NaN; // storage disabled or blocked
    }
  }

  function writeShared(value) {
    try {
      window.localStorage.setItem(STORAGE_KEY, value);
    } catch (e) {
      // storage disabled or full: this tab still works on its own
    }
  }

  function isFocusable(el) {
    return !!el && el !== document.body && typeof el.focus === 'function' &&
      document.documentElement.contains(el);
  }

  function initIdleWarning() {
    var body = document.body;
    if (!body) {
      return;
    }
    var deadline = parseRFC3339(body.getAttribute('data-idle-deadline'));
    if (isNaN(deadline)) {
      return; // not logged in, or no deadline rendered
    }
    var warningSeconds = parseInt(body.getAttribute('data-idle-warning-seconds'), 10);
    if (!(warningSeconds >= 0)) {
      warningSeconds = DEFAULT_WARNING_SECONDS;
    }
    var warningMs = warningSeconds * 1000;

    var region = document.getElementById('idle-warning');
    var heading = document.getElementById('idle-warning-title');
    var countdowns = region ? region.querySelectorAll('[data-idle-countdown]') : [];
    var form = region ? region.querySelector('form') : null;

    var shown = false;
    var expired = false;
    var extending = false;
    var nativeSubmit = false;
    var returnFocus = null;
    var timer = null;

    // Another tab may have seen a newer deadline; the newest one wins.
    var shared = readShared();
    if (shared > deadline) {
      deadline = shared;
    } else {
      writeShared(body.getAttribute('data-idle-deadline'));
    }

    function setDeadline(ms, raw) {
      if (isNaN(ms) || ms <= deadline) {
        return;
      }
      deadline = ms;
      body.setAttribute('data-idle-deadline', raw);
    }

    function show() {
      if (shown || !region) {
        return;
      }
      shown = true;
      returnFocus = document.activeElement;
      region.hidden = false;
      if (heading) {
        if (!heading.hasAttribute('tabindex')) {
          heading.setAttribute('tabindex', '-1');
        }
        heading.focus();
      }
    }

    function hide() {
      if (!shown || !region) {
        return;
      }
      shown = false;
      var focusWasInside = region.contains(document.activeElement);
      region.hidden = true;
      if (focusWasInside && isFocusable(returnFocus)) {
        returnFocus.focus();
      }
      returnFocus = null;
    }

    function expire() {
      if (expired) {
        return;
      }
      expired = true;
      window.clearInterval(timer);
      window.location.assign(EXPIRED_URL);
    }

    function tick() {
      if (expired) {
        return;
      }
      var remaining = deadline - Date.now();
      if (remaining <= 0) {
        expire();
        return;
      }
      if (remaining <= warningMs) {
        var text = formatRemaining(remaining);
        for (var i = 0; i < countdowns.length; i++) {
          if (countdowns[i].textContent !== text) {
            countdowns[i].textContent = text;
          }
        }
        show();
      } else {
        hide();
      }
    }

    function submitNatively(submitter) {
      nativeSubmit = true;
      if (typeof form.requestSubmit === 'function') {
        // requestSubmit keeps the pressed button's name/value in the post.
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      } else {
        HTMLFormElement.prototype.submit.call(form);
      }
    }

    function encodeForm(submitter) {
      var params = new URLSearchParams();
      var data = new FormData(form);
      data.forEach(function (value, name) {
        if (typeof value === 'string') {
          params.append(name, value);
        }
      });
      if (submitter && submitter.name && submitter.form === form) {
        params.append(submitter.name, submitter.value || '');
      }
      return params;
    }

    async function extend(submitter) {
      extending = true;
      try {
        var response = await window.fetch(form.action, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Accept': 'application/json' },
          body: encodeForm(submitter)
        });
        var type = response.headers.get('Content-Type') || '';
        if (!response.ok || type.indexOf('json') === -1) {
          throw new Error('unexpected answer ' + response.status);
        }
        var answer = await response.json();
        var raw = answer && answer.idleDeadline;
        var next = parseRFC3339(raw);
        if (isNaN(next)) {
          throw new Error('answer without a valid idleDeadline');
        }
        setDeadline(next, raw);
        writeShared(raw);
        tick();
      } catch (e) {
        if (!expired) {
          submitNatively(submitter);
        }
      } finally {
        extending = false;
      }
    }

    if (form) {
      form.addEventListener('submit', function (event) {
        if (nativeSubmit) {
          nativeSubmit = false;
          return; // fallback: let the browser post the form
        }
        if (typeof window.fetch !== 'function' || typeof window.URLSearchParams !== 'function') {
          return;
        }
        event.preventDefault();
        if (!extending) {
          extend(event.submitter);
        }
      });
    }

    window.addEventListener('storage', function (event) {
      if (event.key === STORAGE_KEY && event.newValue) {
        setDeadline(parseRFC3339(event.newValue), event.newValue);
        tick();
      }
    });

    // Timers are throttled in background tabs; catch up when the tab returns.
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden) {
        tick();
      }
    });

    timer = window.setInterval(tick, 1000);
    tick();
  }

  function initPrintButtons() {
    var buttons = document.querySelectorAll('button[data-print]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
    }
    document.addEventListener('click', function (event) {
      var target = event.target;
      var button = target && target.closest ? target.closest('button[data-print]') : null;
      if (button && typeof window.print === 'function') {
        event.preventDefault();
        window.print();
      }
    });
  }

  function init() {
    try {
      initPrintButtons();
    } catch (e) {
      // never let an enhancement break the page
    }
    try {
      initIdleWarning();
    } catch (e) {
      // idem
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();

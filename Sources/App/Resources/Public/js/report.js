// Live checks on the data-entry page. The server does the same on save; this
// only shows problems sooner. Numbers are read the Vietnamese way.
(function () {
  var form = document.getElementById('report-form');
  if (!form) return;
  function parse(text) {
    if (text == null) return null;
    var t = String(text).replace(/\s|%/g, '');
    if (t === '') return null;
    if (!/^-?[0-9.]*(,[0-9]+)?$/.test(t)) return NaN;
    var parts = t.split(',');
    var whole = parts[0];
    if (whole.indexOf('.') >= 0) {
      var groups = whole.replace('-', '').split('.');
      for (var i = 1; i < groups.length; i++) if (groups[i].length !== 3) return NaN;
      whole = whole.split('.').join('');
    }
    return parseFloat(whole + (parts[1] ? '.' + parts[1] : ''));
  }
  function format(n) {
    var fixed = (Math.round(n * 100) / 100).toFixed(2).replace(/\.?0+$/, '');
    var p = fixed.split('.');
    p[0] = p[0].replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    return p.join(',');
  }
  // Arithmetic only (+ - * / and brackets): no eval, the page's CSP forbids it.
  function evaluate(text) {
    var tokens = text.match(/\d+(\.\d+)?(e[-+]?\d+)?|[-+*\/()]/g) || [], i = 0;
    function primary() {
      var t = tokens[i++];
      if (t === '(') { var v = sum(); i++; return v; }
      if (t === '-') return -primary();
      return parseFloat(t);
    }
    function product() {
      var v = primary();
      while (tokens[i] === '*' || tokens[i] === '/') { var op = tokens[i++], r = primary(); v = op === '*' ? v * r : (r === 0 ? NaN : v / r); }
      return v;
    }
    function sum() {
      var v = product();
      while (tokens[i] === '+' || tokens[i] === '-') { var op = tokens[i++], r = product(); v = op === '+' ? v + r : v - r; }
      return v;
    }
    return sum();
  }
  function value(code) {
    var input = form.querySelector('[name="v[' + code + ']"]');
    return input ? parse(input.value) : null;
  }
  function recompute() {
    form.querySelectorAll('output[data-formula]').forEach(function (out) {
      var expr = out.getAttribute('data-formula').replace(/×/g, '*');
      var missing = false;
      var js = expr.replace(/\[([^\]]+)\]/g, function (_, code) {
        var v = value(code);
        if (v == null || isNaN(v)) missing = true;
        return '(' + v + ')';
      });
      if (missing) return;
      var result = evaluate(js);
      if (isFinite(result)) out.textContent = format(result);
    });
    form.querySelectorAll('input[data-part-of]').forEach(function (input) {
      var part = parse(input.value), total = value(input.getAttribute('data-part-of'));
      var bad = part != null && total != null && !isNaN(part) && !isNaN(total) && part > total;
      input.setCustomValidity(bad ? 'Lớn hơn tổng ' + input.getAttribute('data-part-of') : '');
      input.closest('tr').classList.toggle('has-error', bad);
    });
    form.querySelectorAll('input[data-code]').forEach(function (input) {
      var v = parse(input.value);
      var bad = (v !== null && isNaN(v)) || (input.hasAttribute('data-percent') && v != null && (v < 0 || v > 100));
      if (bad) input.setCustomValidity('Giá trị không hợp lệ'); else if (!input.hasAttribute('data-part-of')) input.setCustomValidity('');
    });
  }
  form.addEventListener('input', recompute);
  // Enter and Tab move down the column (Shift goes up), like in a spreadsheet:
  // the value column and the note column each keep their own order.
  form.addEventListener('keydown', function (event) {
    if (event.key !== 'Enter' && event.key !== 'Tab') return;
    var cell = event.target.closest && event.target.closest('td');
    if (!cell || (event.target.tagName !== 'INPUT' && event.target.tagName !== 'SELECT')) return;
    var column = cell.classList.contains('value') ? 'value' : cell.classList.contains('note') ? 'note' : null;
    if (!column) return;
    var inputs = Array.prototype.slice.call(form.querySelectorAll(
      'td.' + column + ' input:not([type=hidden]):not([readonly]), td.' + column + ' select:not([disabled])'));
    var i = inputs.indexOf(event.target);
    var next = event.shiftKey ? i - 1 : i + 1;
    if (i < 0 || next < 0 || next >= inputs.length) return;  // leave the table: default behaviour
    event.preventDefault();
    inputs[next].focus();
  });
  recompute();
})();

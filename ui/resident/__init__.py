"""The resident's screen (お客様用画面, 書かない窓口 #23 points 2 and 3): a second window facing the
resident that shows only what the clerk sends it — a form page to confirm, the signature pad — and
nothing while the privacy shield is up, the clerk's screen is locked or the session has ended.

- ``ui.resident.window.ResidentWindow``: the window (waiting panel, page, signature pad,
  larger/smaller text, English, furigana);
- ``ui.resident.pad.SignaturePad``: the strokes as vectors with timing (tablet, touch, mouse),
  only inside the ResidentWindow;
- ``ui.resident.ruby_label.RubyLabel``: text painted with its reading above (``japan.ruby``);
- ``ui.resident.controller.ResidentScreen``: the small API the clerk's side uses.

Qt views only: the signature's rules are ``app.signature``'s, the markup's ``japan.ruby``'s. This
package touches no page, no shell module and no printing module; the composition root wires it.
"""

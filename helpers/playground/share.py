"""The Playground's Share tab and the learner's data: the presets (load one, read why it works
or fails), the setting as JSON (export, import), the setting as a link (the app's address
followed by link.py's hash, and a link that opens a setting) and a CSV file of one's own points
(upload).

`Sharing` is a part of `Playground` (view.py), which gives it `trainer`, `csv_data`, `status`,
`canvas`, `pause` and `_replace` (a new trainer, or everything as it was if that fails): each
way in here loads a whole setting, so a bad one leaves the running network as it was."""

import datetime
import html

import ipywidgets as W
import numpy as np

from ..validation import check_choice
from ..widgets import message, safe
from .config import CSV, PROBLEM_LOSSES, config_from_json, config_to_json
from .controls import _dropdown
from .data import parse_csv
from .link import config_from_hash, config_to_hash
from .presets import PRESETS


class Sharing:
    """The Share tab's widgets: `preset`, `preset_button`, `preset_why`, `link`,
    `config_text`, `export_button`, `import_button`; and the Data tab's `upload`."""

    def _build_share(self):
        self.preset = _dropdown("Preset", list(PRESETS), next(iter(PRESETS), None))
        self.preset.layout.width = "100%"
        self.preset_why = W.HTML()
        self.preset_button = W.Button(description="Load preset", layout=W.Layout(width="120px"))
        self.preset_button.on_click(safe(lambda _: self.load_preset(self.preset.value),
                                         status=self.status))
        self.preset.observe(lambda _: self._show_why(), names="value")
        self._show_why()
        self.link = W.HTML()  # the setting as a link (the app's address + a hash)
        self._base = None  # the app's address, once its page has said it
        self.config_text = W.Textarea(placeholder="Export fills this box; paste a configuration "
                                      "here and press Import.", layout=W.Layout(width="100%",
                                                                               height="160px"))
        self.export_button = W.Button(description="Export", icon="download",
                                      layout=W.Layout(width="100px"))
        self.import_button = W.Button(description="Import", icon="upload",
                                      layout=W.Layout(width="100px"))
        self.export_button.on_click(safe(lambda _: self.export_config(), status=self.status))
        self.import_button.on_click(safe(lambda _: self.import_config(self.config_text.value),
                                         status=self.status))
        self.upload = W.FileUpload(accept=".csv,.txt", multiple=False,
                                   description="Upload CSV")
        self.upload.observe(safe(self._on_upload, status=self.status), names="value")

    # --- presets
    def _show_why(self):
        p = PRESETS.get(self.preset.value)
        if p:
            tag = "works" if p["good"] else "fails"
            self.preset_why.value = (f"<b>Why it {tag}:</b> {p['why']}")

    def load_preset(self, name):
        """Load a preset: its settings (over DEFAULTS), a fresh network, and its why."""
        p = PRESETS[check_choice("preset", name, tuple(PRESETS))]
        self._replace(dict(p["config"]))
        if self.config_text.value:  # the JSON box shows the setting now in use, not the last one
            self.config_text.value = config_to_json(self.trainer.config, self.csv_data)
        tag = "works" if p["good"] else "fails"
        self.status.value = message(f"Preset loaded: why it {tag}: {p['why']}", kind="info")

    # --- JSON export and import
    def export_config(self):
        """The whole configuration as JSON, also put in the text box; returns the text."""
        text = config_to_json(self.trainer.config, self.csv_data)
        self.config_text.value = text
        self.status.value = message("Configuration exported: copy the text to share it.",
                                    kind="ok")
        return text

    def import_config(self, text):
        """Load a configuration from JSON text (a bad one leaves everything as it was)."""
        cfg, csv_data = config_from_json(text)
        self._replace(cfg, csv_data)
        self.status.value = message("Configuration imported: a fresh network.", kind="ok")

    # --- the learner's CSV
    def load_csv_text(self, text, name="your data"):
        """Use the learner's points (CSV text, or a file's bytes): parse, switch to dataset
        "csv" and the matching problem. A bad file leaves everything as it was."""
        X, y, problem = parse_csv(text)
        cfg = {**self.trainer.config, "problem": problem, "dataset": CSV,
               "loss": PROBLEM_LOSSES[problem][0]}
        self._replace(cfg, (X, y))
        kind = (f"classification, {int(y.sum())} of class 1" if problem == "classification" else
                f"regression: the label takes {len(np.unique(y))} values, a classification "
                "needs exactly two")
        self.status.value = message(f"Loaded {name}: {len(X)} points ({kind}), scaled into "
                                    f"[-5, 5]².", kind="ok")

    def _on_upload(self, change):
        files = change.new
        if not files:
            return
        f = files[0]
        try:
            self.load_csv_text(bytes(f["content"]), name=f["name"])
        finally:
            self.upload.value = ()  # so that choosing the same file again (fixed) uploads it

    @staticmethod
    def upload_value(name, data):
        """A FileUpload value holding `data` (bytes): how tests simulate an upload."""
        return ({"name": name, "type": "text/csv", "size": len(data),
                 "content": memoryview(data),
                 "last_modified": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)},)

    # --- the setting as a link
    def _show_link(self):
        try:
            h = config_to_hash(self.trainer.config)
        except ValueError as exc:  # a CSV setting: its points do not fit in an address
            self.canvas.url_hash = ""
            self.link.value = f"<b>Link</b>: {exc}."
            return
        self.canvas.url_hash = h
        if self._base:  # the app: its whole address
            url = html.escape(self._base + h, quote=True)
            self.link.value = (f"<b>Link to this setting</b> (copy it): "
                               f"<a href='{url}' target='_blank'>{url}</a>")
        else:
            self.link.value = (f"<b>Link</b>: in the app (<code>voila app/playground.ipynb</code>) "
                               f"this setting opens from its address followed by "
                               f"<code>{h or '(nothing: the defaults)'}</code>")

    def open_link(self, hash_text, base=None):
        """The app's page opened with `hash_text` ('#lr=0.1&...') in its address: load that
        setting (a fresh network). A bad link is a message; the defaults stay."""
        if base is not None:
            self._base = str(base)[:500]
        cfg = config_from_hash(hash_text) if hash_text else None
        if cfg is not None and cfg != self.trainer.config:
            self.pause()
            self._replace(cfg)
            self.status.value = message("Setting from the link: a fresh network. Press play.",
                                        kind="info")
        self._show_link()

"""The review workspace of a window: its file, decisions and views, saving, autosaving and recovery.

Opening a workspace shows its saved analysis at once, with its filters and selection, while the
project is analysed again in the background; the new analysis then shows what is new and gone
since the last session, and the drawing gets its expanded packages (and, when pinned, its zoom
and position) back. Deciding on a violation without a workspace starts an untitled one.

Unsaved decisions are autosaved every minute to a recovery file, offered back after a crash;
closing the window saves a workspace that has a file, and asks about an untitled one.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QTimer, Signal
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from app.gui.models.violations import VIOLATION_ROLE
from app.gui.review_bar import (
    RESOLVED_LINK,
    SESSION_LINK,
    ItemsDialog,
    ReviewStatusBar,
    review_label,
    violation_row,
)
from app.gui.settings import Settings
from core.model import CheckResult, ReviewStatus, Violation
from core.review import (
    SessionChanges,
    apply_review,
    decide,
    default_reviewer,
    resolved_decisions,
    review_of,
    review_progress,
    session_changes,
    to_review,
    with_context,
)
from core.workspace import (
    WORKSPACE_SUFFIX,
    Decision,
    LastAnalysis,
    LoadedWorkspace,
    RecoveredWorkspace,
    ViewState,
    Workspace,
    WorkspaceError,
    load_workspace,
    new_workspace,
    pending_recoveries,
    read_recovery,
    recovery_path,
    save_workspace,
    timestamp,
    write_recovery,
)

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow

AUTOSAVE_MS = 60_000
TABS = ("architecture", "matrix", "timeline")  # the window's tabs, in order
Button = QMessageBox.StandardButton
FILE_FILTER = f"Strataview workspace (*{WORKSPACE_SUFFIX})"


# The dialogs the controller opens, as functions that tests replace.


def ask(parent: QWidget, title: str, text: str, buttons: Button, default: Button) -> Button:
    return QMessageBox.question(parent, title, text, buttons, default)


def tell(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def choose_file_to_open(parent: QWidget, start: str) -> str:
    return QFileDialog.getOpenFileName(parent, "Open Workspace", start, f"{FILE_FILTER};;All files (*)")[0]


def choose_file_to_save(parent: QWidget, start: str) -> str:
    return QFileDialog.getSaveFileName(parent, "Save Workspace", start, FILE_FILTER)[0]


def ask_text(parent: QWidget, title: str, label: str, text: str) -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


class WorkspaceController(QObject):
    changed = Signal()  # the file, the unsaved state, the decisions or the session's changes changed

    def __init__(self, window: MainWindow, settings: Settings) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.recovery_dir = settings.recovery_dir()
        self.workspace: Workspace | None = None
        self.file: Path | None = None
        self.dirty = False
        self.writable = True  # False: nothing is ever written (a screenshot)
        self.changes: SessionChanges | None = None
        self._last_session: CheckResult | None = None  # the analysis saved when the workspace was last saved
        self._analysed: CheckResult | None = None  # the newest analysis of this session, without reviews
        self._showing_saved = False
        self._pending_view: ViewState | None = None  # filters and selection, once a result is shown
        self._pending_drawing: ViewState | None = None  # expanded packages and zoom, once it is drawn
        self.dialogs: list[ItemsDialog] = []
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave)

    @property
    def active(self) -> bool:
        return self.workspace is not None

    def title(self) -> str:
        if self.workspace is None:
            return ""
        return self.file.name if self.file is not None else "Untitled workspace"

    # The window's results.

    def reviewed(self, result: CheckResult) -> CheckResult:
        """The result the window shows: with the decisions applied and, for a new analysis, its
        differences from the last session."""
        if self.workspace is None:
            return result
        if not self._showing_saved:
            self._analysed = result
            if self._last_session is not None:
                self.changes = session_changes(self._last_session, result)
        return apply_review(result, self.workspace.decisions, date.today())

    def after_result(self, _result: CheckResult) -> None:
        """After the window showed a new analysis: restore what waited for it, mark what is new."""
        if self.workspace is None:
            return
        self._restore_pending()
        self._show_session()

    def _show_saved(self, result: CheckResult) -> None:
        self._showing_saved = True
        try:
            self.window.show_result(result)
        finally:
            self._showing_saved = False
        self._restore_pending()

    # Opening and starting.

    def new_workspace(self) -> bool:
        """Start an untitled workspace for the open project (asking to save the current one first)."""
        if self.window.project is None:
            self.window.statusBar().showMessage("Open a project first: a workspace reviews one project.", 5000)
            return False
        if not self.leave():
            return False
        self._start(self._fresh_workspace(), None, dirty=False)
        if self.window.result is None:
            self.window.reanalyse()
        else:
            self._reshow()
        return True

    def open_workspace(self, file: Path | None = None) -> bool:
        """Open a workspace file (asking for one when None); False if nothing was opened."""
        if file is None:
            start = str(self.file.parent if self.file else self.window.project or Path.home())
            chosen = choose_file_to_open(self.window, start)
            if not chosen:
                return False
            file = Path(chosen)
        file = Path(os.path.abspath(file))
        if file == self.file and not self.leave():  # reopened: what is unsaved is saved first
            return False
        dirty = False
        try:
            loaded = load_workspace(file)
        except WorkspaceError as error:
            loaded = self._offer_backup(file, error)
            if loaded is None:
                return False
            dirty = True  # saving puts the backup's content back in place of the damaged file
        recovered = self._recovery_of(file)
        if recovered is not None:
            if self._offer_recovery(recovered):
                loaded, dirty = recovered.loaded, True
            else:
                recovered.path.unlink(missing_ok=True)
        if not self.leave():
            return False
        for warning in loaded.warnings:
            self.window.statusBar().showMessage(f"{file.name}: {warning}", 10000)
        if loaded.migrated_from is not None:
            self.window.statusBar().showMessage(
                f"{file.name} was written by an older Strataview; saving writes it in the current layout", 10000
            )
        self.show_workspace(loaded.workspace, file, dirty)
        return True

    def offer_recovery(self) -> bool:
        """At start-up: offer the newest recovery left by a crashed session, if any; True if restored."""
        for recovered in pending_recoveries(self.recovery_dir):
            if not self._offer_recovery(recovered):
                recovered.path.unlink(missing_ok=True)
                continue
            file = recovered.workspace_file
            self.show_workspace(recovered.loaded.workspace, file, dirty=True)
            if file is None:
                # Its autosaves go under this session's own name from now on.
                recovered.path.unlink(missing_ok=True)
            return True
        return False

    def _offer_backup(self, file: Path, error: WorkspaceError) -> LoadedWorkspace | None:
        text = f"{file.name} cannot be opened:\n{_describe(error)}\n\nThe file was left as it is."
        if error.backup is None:
            tell(self.window, "Cannot Open Workspace", text)
            return None
        answer = ask(
            self.window,
            "Cannot Open Workspace",
            f"{text}\n\nOpen the previous version, kept in {error.backup.name}? Saving then writes it back "
            f"to {file.name}.",
            Button.Open | Button.Cancel,
            Button.Open,
        )
        if answer != Button.Open:
            return None
        try:
            return load_workspace(error.backup)
        except WorkspaceError as backup_error:
            tell(
                self.window, "Cannot Open Workspace", f"The backup cannot be opened either:\n{_describe(backup_error)}"
            )
            return None

    def _recovery_of(self, file: Path) -> RecoveredWorkspace | None:
        path = recovery_path(self.recovery_dir, file)
        if not path.is_file():
            return None
        try:
            recovered = read_recovery(path)
        except WorkspaceError:
            return None
        saved = datetime.fromtimestamp(file.stat().st_mtime, timezone.utc) if file.exists() else None
        return recovered if saved is None or recovered.autosaved_at > saved else None

    def _offer_recovery(self, recovered: RecoveredWorkspace) -> bool:
        name = recovered.workspace_file.name if recovered.workspace_file else "an untitled workspace"
        when = recovered.autosaved_at.astimezone().strftime("%Y-%m-%d %H:%M")
        answer = ask(
            self.window,
            "Recover Review Changes",
            f"Strataview did not close properly. Changes to {name} that were not saved were autosaved at "
            f"{when}.\n\nRestore them?",
            Button.Yes | Button.Discard,
            Button.Yes,
        )
        return answer == Button.Yes

    def show_workspace(self, workspace: Workspace, file: Path | None, dirty: bool = False) -> None:
        """Make `workspace` the window's: show its saved analysis now, and analyse its project again."""
        self._start(workspace, file, dirty)
        if file is not None:
            self.settings.add_recent_workspace(file)
        saved = workspace.last_analysis.result if workspace.last_analysis else None
        self._last_session = saved
        self._pending_view = workspace.view
        self._pending_drawing = workspace.view
        self.window.open_project(
            workspace.project_path(file), workspace.config_path(file), workspace.baseline_ref(file)
        )
        if saved is not None:
            self._show_saved(saved)

    def _start(self, workspace: Workspace, file: Path | None, dirty: bool) -> None:
        self.workspace, self.file, self.dirty = workspace, file, dirty
        self.changes = None
        self._last_session = None
        self._analysed = None
        self._pending_view = self._pending_drawing = None
        self.window.violations.set_review_mode(True)
        self.window.commands["pin_view"].setChecked(workspace.view.pinned)
        self.timer.start()
        self.changed.emit()

    def _fresh_workspace(self) -> Workspace:
        window = self.window
        assert window.project is not None
        return new_workspace(
            None,
            window.project,
            config=window.check_options().config_file,
            baseline=window.baseline,
            reviewer=default_reviewer(window.project),
        )

    def _start_untitled(self, dirty: bool) -> None:
        """Start an untitled workspace for the open project and show the result with it."""
        self._start(self._fresh_workspace(), None, dirty)
        self._reshow()

    def _reshow(self) -> None:
        """Show the result on screen again, with the workspace's decisions applied."""
        result = self.window.result
        if result is None or self.workspace is None:
            return
        if self._analysed is None:
            self._analysed = _without_reviews(result)
        self.window.show_reviews(apply_review(result, self.workspace.decisions, date.today()))
        self._show_session()

    # Deciding.

    def decide(self, status: ReviewStatus) -> bool:
        """Decide on the selected violation; starts an untitled workspace if none is open."""
        violation = self.window.violations.selected_violation
        if violation is None:
            return False
        if self.workspace is None:
            if self.window.project is None:
                return False
            self._start_untitled(dirty=False)
            self.window.statusBar().showMessage(
                "Started an untitled review workspace; File > Save Workspace keeps it.", 8000
            )
        current = self._decision(violation.fingerprint)
        note = self.window.detail.review.note.text() if self._shown(violation) else (current.note if current else "")
        expires = current.expires if current is not None and status == "waived" else None
        self._set(violation, current, status=status, note=note, expires=expires)
        if status == "waived" and not note.strip():
            self.window.detail.review.note.setFocus()
        return True

    def edit_note(self, note: str) -> None:
        violation = self._shown_violation()
        if violation is None or self.workspace is None and not note.strip():
            return
        if self.workspace is None:
            self._start_untitled(dirty=False)  # shows the violation again, with an empty note
            self.window.detail.review.note.setText(note)
        current = self._decision(violation.fingerprint)
        status = current.status if current is not None else "open"
        expires = current.expires if current is not None else None
        self._set(violation, current, status=status, note=note, expires=expires, refresh_editor=False)

    def edit_expiry(self, expires: date | None) -> None:
        violation = self._shown_violation()
        current = self._decision(violation.fingerprint) if violation is not None else None
        if violation is None or current is None or current.status != "waived":
            return
        self._set(violation, current, status="waived", note=current.note, expires=expires)

    def _set(
        self,
        violation: Violation,
        current: Decision | None,
        *,
        status: ReviewStatus,
        note: str,
        expires: date | None,
        refresh_editor: bool = True,
    ) -> None:
        """Record the reviewer's change to the decision on `violation` and show it."""
        assert self.workspace is not None
        decision = decide(
            current,
            status=status,
            note=note,
            expires=expires,
            reviewer=self._reviewer(),
            now=timestamp(),
            violation=violation,
        )
        self.workspace = self.workspace.with_decision(violation.fingerprint, decision)
        self.dirty = True
        review = review_of(decision, date.today())
        updated = self.window.replace_review(violation.fingerprint, review)
        if updated is not None and refresh_editor and self._shown(violation):
            self.window.detail.review.show_review(review)
        self.changed.emit()

    def _decision(self, fingerprint: str) -> Decision | None:
        return self.workspace.decisions.get(fingerprint) if self.workspace is not None else None

    def _shown_violation(self) -> Violation | None:
        return self.window.violations.selected_violation

    def _shown(self, violation: Violation) -> bool:
        shown = self._shown_violation()
        return shown is not None and shown.fingerprint == violation.fingerprint

    def _reviewer(self) -> str | None:
        if self.workspace is not None and self.workspace.reviewer:
            return self.workspace.reviewer
        return default_reviewer(self.window.project)

    def set_reviewer(self) -> None:
        if self.workspace is None:
            self.window.statusBar().showMessage("Open or start a workspace first.", 5000)
            return
        name = ask_text(self.window, "Reviewer", "The name recorded with your decisions:", self._reviewer() or "")
        if name is not None and name.strip() != (self.workspace.reviewer or ""):
            self.workspace = self.workspace.model_copy(update={"reviewer": name.strip() or None})
            self.dirty = True
            self.changed.emit()

    def next_undecided(self) -> bool:
        """Select the next violation to review (after the selected one, in table order) without a decision."""
        panel = self.window.violations
        result = self.window.result
        if result is None:
            return False
        candidates = {violation.fingerprint for violation in to_review(result)}
        rows = panel.filter.rowCount()
        current = panel.table.selectionModel().currentIndex().row()
        for step in range(1, rows + 1):
            row = (current + step) % rows
            violation: Violation = panel.filter.index(row, 0).data(VIOLATION_ROLE)
            if violation.fingerprint in candidates and (violation.review is None or violation.review.status == "open"):
                return self.window.select_violation(violation.fingerprint)
        self.window.statusBar().showMessage("Every violation to review has a decision.", 5000)
        return False

    # What changed since the last session, and what is resolved.

    def resolved(self) -> dict[str, Decision]:
        result = self.window.result
        if self.workspace is None or result is None:
            return {}
        return resolved_decisions(result, self.workspace.decisions)

    def _show_session(self) -> None:
        self.window.violations.set_session_new(self.changes.new if self.changes is not None else frozenset())
        self.changed.emit()

    def show_progress(self, bar: ReviewStatusBar) -> None:
        result = self.window.result
        if result is not None:
            bar.show_progress(review_progress(result), result.baseline is not None, self.changes, len(self.resolved()))

    def on_link(self, link: str) -> None:
        if link == SESSION_LINK:
            self.show_session_changes()
        elif link == RESOLVED_LINK:
            self.show_resolved()

    def show_session_changes(self) -> ItemsDialog | None:
        if self.changes is None:
            self.window.statusBar().showMessage("Nothing to compare: the workspace holds no earlier analysis.", 5000)
            return None
        result = self.window.result
        present = {violation.fingerprint: violation for violation in result.violations} if result else {}
        rows = [
            violation_row(present[fingerprint], "new")
            for fingerprint in sorted(self.changes.new)
            if fingerprint in present
        ]
        for violation in self.changes.gone:
            decision = self._decision(violation.fingerprint)
            review = review_of(decision, date.today()) if decision else None
            rows.append(
                (
                    violation.fingerprint,
                    ["gone", violation.rule, violation.message, review_label(review), review.note if review else ""],
                )
            )
        return self._open_dialog(
            ItemsDialog(
                "Changes Since Last Session",
                f"Compared with the analysis saved in the workspace: {len(self.changes.new)} new, "
                f"{len(self.changes.gone)} gone.",
                ["", "Rule", "Violation", "Decision", "Note"],
                rows,
                parent=self.window,
            )
        )

    def show_resolved(self) -> ItemsDialog | None:
        resolved = self.resolved()
        rows = [
            (
                fingerprint,
                [
                    decision.rule or "",
                    decision.message or f"(violation {fingerprint})",
                    review_label(review_of(decision, date.today())),
                    decision.note,
                    decision.reviewer or "",
                ],
            )
            for fingerprint, decision in resolved.items()
        ]
        dialog = ItemsDialog(
            "Resolved Decisions",
            "These decisions are about violations that are gone. They are kept, so a violation that comes "
            "back finds its decision again; forget the ones that are no longer needed.",
            ["Rule", "Violation", "Decision", "Note", "Reviewer"],
            rows,
            action="Forget Selected",
            parent=self.window,
        )
        dialog.action_triggered.connect(self.forget)
        return self._open_dialog(dialog)

    def forget(self, fingerprints: list[str]) -> None:
        """Drop decisions (whose violations are gone)."""
        if self.workspace is None or not fingerprints:
            return
        decisions = {key: value for key, value in self.workspace.decisions.items() if key not in set(fingerprints)}
        self.workspace = self.workspace.model_copy(update={"decisions": decisions})
        self.dirty = True
        self.changed.emit()

    def _open_dialog(self, dialog: ItemsDialog) -> ItemsDialog:
        self.dialogs = [shown for shown in self.dialogs if shown.isVisible()]
        self.dialogs.append(dialog)
        dialog.show()
        return dialog

    # Views.

    def capture_view(self) -> ViewState:
        window = self.window
        panel = window.violations
        view = window.architecture.view
        center = view.mapToScene(view.viewport().rect().center())
        drawn = window.architecture.scene.layout is not None
        selected = panel.selected_violation
        return ViewState(
            text_filter=panel.filter_box.text(),
            rule_type=panel.type_box.currentData(),
            decision=panel.decision_box.currentData(),
            new_only=panel.new_only_box.isChecked(),
            rule=window.rules.selected_rule,
            selected=selected.fingerprint if selected is not None else None,
            tab=TABS[max(0, window.views.currentIndex())],
            expanded=tuple(sorted(window.architecture.scene.expanded)),
            zoom=round(view.scale_factor, 6) if drawn else None,
            center=(round(center.x(), 2), round(center.y(), 2)) if drawn else None,
            pinned=window.commands["pin_view"].isChecked(),
        )

    def apply_view(self, view: ViewState) -> None:
        """Show a saved view: filters, selection and tab at once, the drawing's part once it is drawn."""
        self._pending_view = view
        self._pending_drawing = view.model_copy(update={"pinned": True})  # a view chosen by name keeps its zoom
        self._restore_pending()

    def _restore_pending(self) -> None:
        window = self.window
        if self._pending_view is not None and window.result is not None:
            view, self._pending_view = self._pending_view, None
            panel = window.violations
            panel.filter_box.setText(view.text_filter)
            index = panel.type_box.findData(view.rule_type) if view.rule_type else 0
            panel.type_box.setCurrentIndex(max(index, 0))
            panel.set_decision_filter(view.decision)
            panel.new_only_box.setChecked(view.new_only and panel.new_only_box.isVisibleTo(panel))
            window.rules.select_rule(view.rule)
            window.views.setCurrentIndex(TABS.index(view.tab))
            if view.selected is not None:
                window.select_violation(view.selected)
        if self._pending_drawing is not None and window.analysis is not None:
            view, self._pending_drawing = self._pending_drawing, None
            architecture = window.architecture
            scene = architecture.scene
            dependency_map = window.dependency_map
            expanded = {name for name in view.expanded if dependency_map is not None and dependency_map.children(name)}
            if expanded != scene.expanded:
                scene.expanded = expanded
                scene.rebuild()
            if view.pinned and view.zoom is not None and view.center is not None:
                architecture.fit()  # settles the pending fit first, so that it does not undo the zoom later
                architecture.view.setTransform(QTransform.fromScale(view.zoom, view.zoom))
                architecture.view.centerOn(QPointF(*view.center))
                architecture.view.after_transform()
            elif expanded:
                architecture.fit()

    def save_view(self) -> None:
        if self.workspace is None:
            self.window.statusBar().showMessage("Open or start a workspace first: views are kept in it.", 5000)
            return
        name = ask_text(self.window, "Save View", "Name of the view:", "")
        if not name or not name.strip():
            return
        views = {**self.workspace.saved_views, name.strip(): self.capture_view()}
        self.workspace = self.workspace.model_copy(update={"saved_views": views})
        self.dirty = True
        self.changed.emit()

    def fill_saved_views_menu(self) -> None:
        menu = self.window.commands.saved_views_menu
        menu.clear()
        views = self.workspace.saved_views if self.workspace is not None else {}
        for name, view in sorted(views.items()):
            action = menu.addAction(name)
            action.triggered.connect(lambda _checked=False, view=view: self.apply_view(view))
        if not views:
            menu.addAction("No saved views").setEnabled(False)

    # Saving.

    def save(self) -> bool:
        if self.workspace is None:
            if self.window.project is None:
                self.window.statusBar().showMessage("Nothing to save: open a project first.", 5000)
                return False
            self._start_untitled(dirty=True)
        if self.file is None:
            return self.save_as()
        return self._write(self.file)

    def save_as(self) -> bool:
        if self.workspace is None:
            return self.save()
        project = self.window.project or Path.home()
        start = self.file or (project / f"{project.name}{WORKSPACE_SUFFIX}")
        chosen = choose_file_to_save(self.window, str(start))
        if not chosen:
            return False
        file = Path(chosen)
        if not file.name.endswith(WORKSPACE_SUFFIX):
            file = file.with_name(file.name.removesuffix(".json") + WORKSPACE_SUFFIX)
        return self._write(file)

    def _write(self, file: Path) -> bool:
        file = Path(os.path.abspath(file))
        workspace = self.current(file)
        try:
            save_workspace(workspace, file)
        except WorkspaceError as error:
            tell(self.window, "Cannot Save Workspace", f"{_describe(error)}\n\nThe decisions are still open here.")
            return False
        self._discard_recovery()
        self.workspace, self.file, self.dirty = workspace, file, False
        self.settings.add_recent_workspace(file)
        self.window.statusBar().showMessage(f"Saved the workspace to {file}", 5000)
        self.changed.emit()
        return True

    def current(self, file: Path | None) -> Workspace:
        """The workspace as it would be saved at `file` now: the window's project, configuration,
        baseline and view, the decisions with what their violations are, and the newest analysis."""
        assert self.workspace is not None
        window = self.window
        workspace = self.workspace
        project = window.project or workspace.project_path(self.file)
        located = new_workspace(
            file,
            project,
            config=window.check_options().config_file,
            baseline=window.baseline,
            reviewer=workspace.reviewer,
        )
        last = workspace.last_analysis
        if self._analysed is not None and (last is None or not _same_analysis(last.result, self._analysed)):
            last = LastAnalysis(analysed_at=timestamp(), result=self._analysed)
        decisions = with_context(workspace.decisions, self._analysed) if self._analysed else workspace.decisions
        view = self.capture_view() if window.result is not None else workspace.view
        return located.model_copy(
            update={"decisions": decisions, "view": view, "saved_views": workspace.saved_views, "last_analysis": last}
        )

    def autosave(self) -> bool:
        """Write unsaved changes to the recovery file; True if written."""
        if self.workspace is None or not self.dirty or not self.writable:
            return False
        try:
            write_recovery(self.recovery_dir, self.current(self.file), self.file)
        except WorkspaceError as error:
            self.window.statusBar().showMessage(f"Autosave failed: {_describe(error)}", 10000)
            return False
        return True

    def leave(self) -> bool:
        """Before the workspace is closed (the window closes, another opens): save it if it has a file,
        ask about an untitled one with decisions. False if the user cancelled."""
        if self.workspace is None:
            return True
        if self.writable:
            if self.file is not None:
                if (self.dirty or self.current(self.file) != self.workspace) and not self._write(self.file):
                    answer = ask(
                        self.window,
                        "Workspace Not Saved",
                        "Close without saving the review changes?",
                        Button.Discard | Button.Cancel,
                        Button.Cancel,
                    )
                    if answer != Button.Discard:
                        return False
            elif self.dirty:
                answer = ask(
                    self.window,
                    "Save Review Workspace?",
                    "The untitled review workspace has decisions that are not saved. Save them?",
                    Button.Save | Button.Discard | Button.Cancel,
                    Button.Save,
                )
                if answer == Button.Cancel or (answer == Button.Save and not self.save_as()):
                    return False
        self._discard_recovery()
        self._close()
        return True

    def _close(self) -> None:
        self.timer.stop()
        self.workspace, self.file, self.dirty = None, None, False
        self.changes = self._last_session = self._analysed = None
        self._pending_view = self._pending_drawing = None
        self.window.violations.set_review_mode(False)
        if self.window.result is not None:
            self.window.show_reviews(_without_reviews(self.window.result))
        self.changed.emit()

    def _discard_recovery(self) -> None:
        recovery_path(self.recovery_dir, self.file).unlink(missing_ok=True)

    def on_baseline_chosen(self, _baseline: str | None) -> None:
        if self.workspace is not None:
            self.dirty = True
            self.changed.emit()


def _same_analysis(saved: CheckResult, analysed: CheckResult) -> bool:
    """Whether a saved analysis says the same as a new one (the project's path may be spelt otherwise)."""
    return saved.model_copy(update={"project": analysed.project}) == analysed


def _without_reviews(result: CheckResult) -> CheckResult:
    return result.model_copy(
        update={"violations": tuple(violation.model_copy(update={"review": None}) for violation in result.violations)}
    )


def _describe(error: Exception) -> str:
    if isinstance(error, WorkspaceError):
        location = ", ".join(part for part in (error.file, error.place) if part)
        return f"{location}: {error.message}" if location else error.message
    return str(error)

"""The main window: rules, the architecture, violations and the selected violation's imports, analysed in the
background, optionally against a baseline whose drift the timeline shows commit by commit, and reviewed in a
workspace that keeps the decisions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.actions import RECENT_MENU, RECENT_WORKSPACES_MENU, Actions
from app.gui.banner import ErrorBanner
from app.gui.baseline_picker import BaselinePicker
from app.gui.detail_pane import DetailPane
from app.gui.export import export_png, export_report, export_svg, report_filters
from app.gui.graph.view import ArchitectureView
from app.gui.live import ProjectWatcher
from app.gui.matrix import MatrixView
from app.gui.review_bar import ReviewStatusBar
from app.gui.rules_panel import RulesPanel
from app.gui.settings import Settings
from app.gui.timeline import DriftTimeline
from app.gui.violations_panel import ViolationsPanel
from app.gui.worker import AnalysisCrashed, AnalysisRunner
from app.gui.workspace_controller import WorkspaceController
from core.architecture import DependencyMap
from core.check import Analysis, CheckOptions, Progress
from core.errors import StrataviewError
from core.expressions import is_in_package
from core.model import CheckResult, Review, Violation
from core.review import with_review
from core.reports import REPORT_FORMATS

DEFAULT_SIZE = (1400, 900)


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: Settings,
        runner: AnalysisRunner | None = None,
        options: CheckOptions = CheckOptions(),
    ) -> None:
        super().__init__()
        self.settings = settings
        self.runner = runner if runner is not None else AnalysisRunner()
        self.runner.setParent(self)
        self._options = options
        self._project: Path | None = None
        self._config: Path | None = None
        self._baseline: str | None = None
        self._result: CheckResult | None = None
        self._analysis: Analysis | None = None
        self._dependency_map: DependencyMap | None = None
        self._rule: str | None = None
        self.watcher = ProjectWatcher(self)
        self.review = WorkspaceController(self, settings)

        self.commands = Actions(self)
        self.commands.build_menus(self.menuBar())
        self.toolbar = self.commands.build_toolbar(self)
        self.addToolBar(self.toolbar)
        self.addActions(self.commands.all())
        self._build_views()
        self._build_status_bar()
        self._connect()
        self._restore_layout()
        self._update_title()
        self._show_running(False)
        self.violations.table.setFocus()

    # What the rest of the app and the tests use.

    @property
    def result(self) -> CheckResult | None:
        """The result on screen (the last successful analysis)."""
        return self._result

    @property
    def analysis(self) -> Analysis | None:
        """The analysis behind the result on screen, when the runner delivered one."""
        return self._analysis if self._analysis is not None and self._analysis.result is self._result else None

    @property
    def dependency_map(self) -> DependencyMap | None:
        return self._dependency_map if self.analysis is not None else None

    @property
    def project(self) -> Path | None:
        return self._project

    @property
    def baseline(self) -> str | None:
        """The git revision or snapshot file the analysis compares with."""
        return self._baseline

    def open_workspace(self, file: Path) -> bool:
        """Open a review workspace: its saved analysis at once, its project analysed again."""
        return self.review.open_workspace(file)

    def open_project(self, path: Path, config: Path | None = None, baseline: str | None = None) -> None:
        """Analyse the project at `path` (against `baseline`, if given); the current result stays on
        screen until the new one arrives."""
        self._project = path.resolve()
        self._config = config
        self._baseline = baseline
        if self._project.is_dir():
            self.settings.add_recent_project(self._project)
        self.baseline_picker.set_baseline(baseline)
        self.baseline_picker.set_project(self._project)
        self._update_title()
        self.reanalyse()

    def set_baseline(self, baseline: str | None) -> None:
        """Compare with another baseline (None: with none) and analyse again."""
        self._baseline = baseline
        self.baseline_picker.set_baseline(baseline)
        self.reanalyse()

    def reanalyse(self) -> None:
        if self._project is not None:
            self.runner.start(self._project, self.check_options())

    def check_options(self) -> CheckOptions:
        """The options of the next analysis: the window's own, with the project's config and the chosen baseline."""
        return replace(self._options, config_file=self._config, baseline=self._baseline)

    # Building.

    def _build_views(self) -> None:
        self.banner = ErrorBanner(self)
        self.violations = ViolationsPanel(self)
        self.detail = DetailPane(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("main-splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.violations)
        self.splitter.addWidget(self.detail)
        self.splitter.setSizes([165, 205])
        # The drawings of the project, one tab each; the architecture comes first.
        self.architecture = ArchitectureView(self)
        self.views = QTabWidget(self)
        self.views.setObjectName("views")
        self.views.setDocumentMode(True)
        self.views.addTab(self.architecture, "Architecture")
        self.matrix = MatrixView(self)
        self.matrix.setMinimumHeight(80)  # so the drawings can be made small in favour of the table
        self.views.addTab(self.matrix, "Matrix")
        self.timeline = DriftTimeline(self)
        self.views.addTab(self.timeline, "Timeline")
        self.views.setTabToolTip(2, "The commits since the baseline and what each one brought")
        # In the row of the tabs, beside them: what the views compare with.
        self.baseline_picker = BaselinePicker(self.views)
        self.views.setCornerWidget(self.baseline_picker, Qt.Corner.TopRightCorner)
        self.workspace = QSplitter(Qt.Orientation.Vertical, self)
        self.workspace.setObjectName("workspace-splitter")
        self.workspace.setChildrenCollapsible(False)
        self.workspace.addWidget(self.views)
        self.workspace.addWidget(self.splitter)
        self.workspace.setSizes([480, 370])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.workspace, 1)
        self.setCentralWidget(central)

        self.rules = RulesPanel(self)
        self.rules_dock = QDockWidget("Rules", self)
        self.rules_dock.setObjectName("rules-dock")
        self.rules_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.rules_dock.setWidget(self.rules)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.rules_dock)
        self.resizeDocks([self.rules_dock], [330], Qt.Orientation.Horizontal)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.summary_label = QLabel(self)
        self.progress_label = QLabel(self)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setFixedWidth(220)
        self.progress_bar.setTextVisible(False)
        self.cancel_button = QToolButton(self)
        self.commands["cancel_analysis"].setIconText("Cancel")
        self.cancel_button.setDefaultAction(self.commands["cancel_analysis"])
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        status.addWidget(self.progress_label, 1)
        self.review_status = ReviewStatusBar(self)
        self.review_status.hide()
        status.addPermanentWidget(self.review_status)
        # Permanent, so that a passing status message does not hide the counts.
        status.addPermanentWidget(self.summary_label)
        status.addPermanentWidget(self.progress_bar)
        status.addPermanentWidget(self.cancel_button)

    def _connect(self) -> None:
        commands = self.commands
        commands["open_project"].triggered.connect(self._choose_project)
        commands["quit"].triggered.connect(self.close)
        commands["find"].triggered.connect(self.violations.focus_filter)
        commands["reanalyse"].triggered.connect(self.reanalyse)
        commands["cancel_analysis"].triggered.connect(self._cancel)
        commands["clear_recent"].triggered.connect(self.settings.clear_recent_projects)
        commands.connect_recent(
            RECENT_MENU, self.settings.recent_projects, lambda path: self.review.leave() and self.open_project(path)
        )
        commands["export_png"].triggered.connect(lambda: self._export("PNG"))
        commands["export_svg"].triggered.connect(lambda: self._export("SVG"))
        commands["export_report"].triggered.connect(self.export_report)
        commands["go_to_module"].triggered.connect(self.architecture.focus_search)
        commands["fit_view"].triggered.connect(self.architecture.fit)
        commands["zoom_in"].triggered.connect(self.architecture.zoom_in)
        commands["zoom_out"].triggered.connect(self.architecture.zoom_out)
        commands["live_mode"].toggled.connect(self.set_live)
        self.set_colour_by(self.settings.colour_by())
        commands["colour_by_age"].toggled.connect(lambda on: self.set_colour_by("age" if on else "layer"))
        self.watcher.changed.connect(self.reanalyse)

        self.runner.progressed.connect(self._on_progress)
        self.runner.analysed.connect(self._on_analysed)
        self.runner.succeeded.connect(self._on_result)
        self.runner.succeeded.connect(self.review.after_result)  # after the views show the result
        self.runner.failed.connect(self._on_failure)
        self.runner.running_changed.connect(self._show_running)

        self.rules.rule_selected.connect(self.violations.set_rule_filter)
        self.rules.rule_selected.connect(self.architecture.set_rule)
        self.rules.rule_selected.connect(self._on_rule_selected)
        self.violations.violation_selected.connect(self._on_violation_selected)
        self.architecture.violation_clicked.connect(self.select_violation)
        self.matrix.cellSelected.connect(self._select_violation_between)
        self.matrix.importSelected.connect(self._select_violation_between)
        self.baseline_picker.baseline_chosen.connect(self.set_baseline)
        self.timeline.commit_selected.connect(self._on_commit_selected)
        self.violations.commit_filter_cleared.connect(lambda: self.timeline.select(None))

        review = self.review
        commands["new_workspace"].triggered.connect(review.new_workspace)
        commands["open_workspace"].triggered.connect(lambda: review.open_workspace())
        commands["save_workspace"].triggered.connect(review.save)
        commands["save_workspace_as"].triggered.connect(review.save_as)
        commands["clear_recent_workspaces"].triggered.connect(self.settings.clear_recent_workspaces)
        commands.connect_recent(RECENT_WORKSPACES_MENU, self.settings.recent_workspaces, review.open_workspace)
        commands.saved_views_menu.aboutToShow.connect(review.fill_saved_views_menu)
        commands["save_view"].triggered.connect(review.save_view)
        commands["accept"].triggered.connect(lambda: review.decide("accepted"))
        commands["waive"].triggered.connect(lambda: review.decide("waived"))
        commands["must_fix"].triggered.connect(lambda: review.decide("must-fix"))
        commands["reopen"].triggered.connect(lambda: review.decide("open"))
        commands["next_undecided"].triggered.connect(review.next_undecided)
        commands["show_resolved"].triggered.connect(review.show_resolved)
        commands["show_session_changes"].triggered.connect(review.show_session_changes)
        commands["set_reviewer"].triggered.connect(review.set_reviewer)
        self.detail.review.status_chosen.connect(review.decide)
        self.detail.review.note_edited.connect(review.edit_note)
        self.detail.review.expiry_edited.connect(review.edit_expiry)
        self.review_status.link_activated.connect(review.on_link)
        self.baseline_picker.baseline_chosen.connect(review.on_baseline_chosen)
        review.changed.connect(self._update_review_status)

    # Reacting.

    def _on_progress(self, progress: Progress) -> None:
        self.progress_label.setText(progress.message + "…")
        if progress.total:
            self.progress_bar.setRange(0, progress.total)
            self.progress_bar.setValue(progress.current)
        else:
            self.progress_bar.setRange(0, 0)  # busy: the step has no measure of its own

    def _on_analysed(self, analysis: Analysis, dependency_map: DependencyMap) -> None:
        self._analysis, self._dependency_map = analysis, dependency_map
        self.baseline_picker.set_provenance_options(analysis.config.config.provenance)
        if self.live:
            self._watch()  # new packages or a moved configuration are watched from now on

    def show_result(self, result: CheckResult) -> None:
        """Show a result: a new analysis, or one saved in a workspace (drawn once it is analysed again)."""
        self._on_result(result)

    def _on_result(self, result: CheckResult) -> None:
        analysed = result
        result = self.review.reviewed(result)
        if self._analysis is not None and self._analysis.result is analysed:
            self._analysis = replace(self._analysis, result=result)
        self._result = result
        self.banner.hide()
        self.detail.set_result(result)
        # Drawn before the table fills, so that its first selection shows on the drawing.
        self.architecture.set_analysis(self.analysis, self.dependency_map)
        self.matrix.set_map(self.dependency_map, self._rule)
        self.violations.set_result(result)
        self.rules.set_result(result)
        self.baseline_picker.set_result(result)
        self.timeline.set_result(result)
        self._on_commit_selected(self.timeline.selected_commit.key if self.timeline.selected_commit else None)
        self._update_summary()
        self._update_review_status()

    def show_reviews(self, result: CheckResult) -> None:
        """Show the result on screen again with other reviews (a workspace started or closed)."""
        self._replace_result(result)
        self.violations.set_result(result)
        self._on_violation_selected(self.violations.selected_violation)
        self._update_review_status()

    def replace_review(self, fingerprint: str, review: Review) -> Violation | None:
        """Show a new decision on one violation; returns the violation as it is now, None if not shown."""
        if self._result is None:
            return None
        result = with_review(self._result, fingerprint, review)
        self._replace_result(result)
        violation = next((v for v in result.violations if v.fingerprint == fingerprint), None)
        if violation is not None:
            self.violations.update_violation(violation)
        return violation

    def _replace_result(self, result: CheckResult) -> None:
        """The same analysis with other reviews: the analysis behind it stays the one on screen."""
        if self._analysis is not None and self._analysis.result is self._result:
            self._analysis = replace(self._analysis, result=result)
        self._result = result

    def _update_review_status(self) -> None:
        shown = self.review.active and self._result is not None
        self.review_status.setVisible(shown)
        if shown:
            self.review.show_progress(self.review_status)
        self._update_title()

    def _on_failure(self, error: Exception) -> None:
        name = self._project.name if self._project else "the project"
        note = "The previous result is still shown." if self._result is not None else ""
        if isinstance(error, AnalysisCrashed):
            self.banner.show_problem(
                f"The analysis of {name} failed unexpectedly",
                str(error),
                "This is a bug in Strataview; the log has the details. " + note,
            )
        else:
            self.banner.show_problem(f"Could not analyse {name}", _describe(error), note)

    def _on_violation_selected(self, violation: Violation | None) -> None:
        rule_name = ""
        if violation is not None and self._result is not None:
            rule_name = next((rule.name for rule in self._result.rules if rule.id == violation.rule), "")
        self.detail.show_violation(violation, rule_name)
        self.architecture.show_violation(violation)
        link = next((chain[0] for chain in violation.chains if chain), None) if violation else None
        if link is not None:
            self.matrix.select_cell(link.importer, link.imported)

    def _on_commit_selected(self, key: str | None) -> None:
        """Show in the table and on the drawing only what the commit picked on the timeline brought."""
        commit = self.timeline.selected_commit
        if key is None or commit is None:
            self.violations.set_commit_filter(None)
            self.architecture.scene.set_focus()
            return
        self.violations.set_commit_filter(commit.key, commit.short)
        self.architecture.scene.set_focus(commit.modules, commit.violations)

    def _on_rule_selected(self, rule: str | None) -> None:
        self._rule = rule
        self.matrix.set_map(self.dependency_map, rule)

    def _select_violation_between(self, importer: str, imported: str) -> None:
        """Select the first violation with an import from inside `importer` to inside `imported`."""
        if self._result is None:
            return
        for violation in self._result.violations:
            if any(
                is_in_package(link.importer, importer) and is_in_package(link.imported, imported)
                for chain in violation.chains
                for link in chain
            ):
                self.select_violation(violation.fingerprint)
                return

    @property
    def live(self) -> bool:
        return self.commands["live_mode"].isChecked()

    def set_colour_by(self, colour_by: str) -> None:
        """Colour the architecture's boxes by "layer" or by "age", and remember the choice."""
        self.commands["colour_by_age" if colour_by == "age" else "colour_by_layer"].setChecked(True)
        self.architecture.set_colour_by(colour_by)
        self.settings.set_colour_by(colour_by)

    def set_live(self, on: bool) -> None:
        """Live mode: watch the project's files and re-analyse after each burst of saves."""
        if self.commands["live_mode"].isChecked() != on:
            self.commands["live_mode"].setChecked(on)  # comes back here through `toggled`
            return
        if on:
            self._watch()
        else:
            self.watcher.stop()
        self._update_summary()

    def _watch(self) -> None:
        analysis = self.analysis
        if analysis is None or self._project is None:
            return
        directories = [path for paths in analysis.project.package_dirs.values() for path in paths]
        self.watcher.start(self._project, directories, analysis.config.file)

    def select_violation(self, fingerprint: str) -> bool:
        """Select a violation in the table (clearing the text, type, new-only and commit filters that hide it)."""
        panel = self.violations
        row = panel.model.row_of(fingerprint)
        if row is None:
            return False
        index = panel.filter.mapFromSource(panel.model.index(row, 0))
        if not index.isValid():
            panel.filter_box.clear()
            panel.type_box.setCurrentIndex(0)
            panel.new_only_box.setChecked(False)
            panel.decision_box.setCurrentIndex(0)
            panel.since_session_box.setChecked(False)
            self.timeline.select(None)
            index = panel.filter.mapFromSource(panel.model.index(row, 0))
            if not index.isValid():
                return False
        panel.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        panel.table.scrollTo(index)
        return True

    def _show_running(self, running: bool) -> None:
        self.progress_label.setVisible(running)
        self.progress_bar.setVisible(running)
        self.cancel_button.setVisible(running)
        self.summary_label.setVisible(not running)
        self.commands["cancel_analysis"].setEnabled(running)
        if running:
            self.progress_label.setText("Starting the analysis…")
            self.progress_bar.setRange(0, 0)

    def _cancel(self) -> None:
        self.runner.cancel()
        if self._result is not None:
            self.statusBar().showMessage("Analysis cancelled; the previous result is still shown.", 5000)

    def _update_summary(self) -> None:
        result = self._result
        if result is None:
            self.summary_label.setText("")
            return
        broken = sum(not rule.kept for rule in result.rules)
        rules = f"all {len(result.rules)} rules kept" if not broken else f"{broken} of {len(result.rules)} rules broken"
        new = f" ({sum(v.status == 'new' for v in result.violations)} new)" if result.baseline is not None else ""
        self.summary_label.setText(
            f"{result.graph.modules} modules · {result.graph.imports} imports · "
            f"{len(result.violations)} violations{new} · {rules}" + (" · live" if self.live else "")
        )

    def _update_title(self) -> None:
        workspace = self.review.title() + ("[*]" if self.review.active else "")
        parts = [workspace, self._project.name if self._project else ""]
        self.setWindowTitle(" — ".join([*(part for part in parts if part), "Strataview"]))
        self.setWindowModified(self.review.dirty)
        if self.review.file is not None:
            self.setWindowFilePath(str(self.review.file))
        elif self._project is not None:
            self.setWindowFilePath(str(self._project))

    def _export(self, kind: str) -> None:
        if self.architecture.scene.layout is None:
            self.statusBar().showMessage("Nothing to export: no project has been drawn yet.", 5000)
            return
        suffix = kind.lower()
        name = f"{self._project.name if self._project else 'architecture'}-architecture.{suffix}"
        start = str((self._project.parent if self._project else Path.home()) / name)
        chosen, _ = QFileDialog.getSaveFileName(self, f"Export View as {kind}", start, f"{kind} image (*.{suffix})")
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != f".{suffix}":
            target = target.with_name(target.name + f".{suffix}")
        try:
            (export_png if kind == "PNG" else export_svg)(self.architecture.scene, target)
        except OSError as error:
            QMessageBox.warning(self, "Export failed", f"Could not write {target}:\n{error.strerror or error}")
            return
        self.statusBar().showMessage(f"Exported the architecture view to {target}", 5000)

    def export_report(self) -> None:
        """Save the result on screen as a report, in the format of the file type chosen."""
        result = self._result
        if result is None:
            self.statusBar().showMessage("Nothing to export: no project has been analysed yet.", 5000)
            return
        filters = report_filters()
        name = f"{self._project.name if self._project else 'architecture'}-architecture"
        start = str((self._project.parent if self._project else Path.home()) / f"{name}.html")
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            self, "Export Report", start, ";;".join(text for _, text in filters)
        )
        if not chosen:
            return
        format_name = next((name for name, text in filters if text == chosen_filter), filters[0][0])
        suffix = "." + REPORT_FORMATS[format_name].SUFFIX
        target = Path(chosen)
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        # The analysis and map delivered with the result on screen: the graph the HTML report draws.
        analysis = self._analysis if self._analysis is not None and self._dependency_map is not None else None
        failure = None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            export_report(result, format_name, target, analysis, self._dependency_map if analysis else None)
        except (OSError, StrataviewError) as error:
            failure = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        finally:
            QApplication.restoreOverrideCursor()
        if failure is not None:
            QMessageBox.warning(self, "Export failed", f"Could not write {target}:\n{failure}")
            return
        self.statusBar().showMessage(f"Exported the {REPORT_FORMATS[format_name].TITLE} to {target}", 5000)

    def _choose_project(self) -> None:
        start = str(self._project.parent if self._project else Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Open Project", start)
        if chosen and self.review.leave():
            self.open_project(Path(chosen))

    # Remembering the layout.

    def _restore_layout(self) -> None:
        geometry = self.settings.layout("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        state = self.settings.layout("state")
        if state is not None:
            self.restoreState(state)
        for splitter in (self.workspace, self.splitter, self.detail.splitter):
            saved = self.settings.layout(splitter.objectName())
            if saved is not None:
                splitter.restoreState(saved)

    def _save_layout(self) -> None:
        self.settings.set_layout("geometry", self.saveGeometry())
        self.settings.set_layout("state", self.saveState())
        for splitter in (self.workspace, self.splitter, self.detail.splitter):
            self.settings.set_layout(splitter.objectName(), splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.review.leave():
            event.ignore()
            return
        self._save_layout()
        self.baseline_picker.stop()
        self.runner.shutdown()
        super().closeEvent(event)


def _describe(error: Exception) -> str:
    """'file, place: message' for a user's error, so the message reads as a sentence."""
    if isinstance(error, StrataviewError):
        location = ", ".join(part for part in (error.file, error.place) if part)
        return f"{location}: {error.message}" if location else error.message
    return str(error)

// Extension entry: wires editor events to the core. Holds no analysis logic; parsing and
// analysis run in dist/worker.js, started when the first Python document needs it.
import { BUNDLE_STARTED_AT } from './activationClock';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ANALYSIS_WORKER_LIMITS } from '../core/editor/workerLimits';
import * as vscode from 'vscode';
import { AnalysisClient } from './analysisClient';
import { analyzeFile } from './commands/analyzeFile';
import { setInputShape } from './commands/setInputShape';
import { COMMANDS } from './commandIds';
import { ANALYSIS_KEYS, CONFIG_SECTION, settingsFor } from './config';
import { AnalyzedDocuments } from './documents';
import { registerFeatures } from './features';
import { GpuInfo } from './gpu';
import { lazyModules } from './lazy';
import { CostInlayHints } from './providers/inlayHints';
import { CostHover } from './providers/hover';
import { ModelCodeLenses } from './providers/codeLens';
import { TrainingLoopLenses } from './providers/trainingLoopLens';
import { HotspotDiagnostics } from './providers/diagnostics';
import { ModelStatusBar } from './providers/statusBar';
import { ANALYZED_DOCUMENTS } from './providers/selector';
import { CalibrationSource } from './pilot/calibrationSource';
import { RunRecordFeed } from './pilot/runRecordFeed';
import { WattLensRegistry } from './registry';
import { Trace } from './trace';
import { WorkspaceWatcher } from './workspaceWatcher';
import type { AnalysisWorkerData } from './workerLaunch';
import { registerOnboarding } from './onboarding';
import { currentPythonEnvironment, watchPythonEnvironment } from './pythonEnvironment';

const BUNDLE_LOADED_AT = performance.now();

/** An analysis running longer than this restarts the worker. */
const ANALYSIS_TIMEOUT_MS = 5_000;
/** The first analysis of a fresh worker also loads the parser and the torch model. */
const WORKER_STARTUP_GRACE_MS = 10_000;
/** Half-typed code can make one analysis slow: a superseded one is cancelled after this long. */
const CANCEL_STALE_AFTER_MS = 250;
/** A warm spare worker (to cancel into) starts this long after the first result, off the startup path. */
const SPARE_WORKER_AFTER_MS = 2_000;

/** What activate() returns to other extensions and to features: the extension points. */
export interface WattLensApi {
  registry: WattLensRegistry;
}

export function activate(context: vscode.ExtensionContext): WattLensApi {
  const activateStarted = performance.now();
  const output = vscode.window.createOutputChannel('WattLens');
  const log = (message: string) => output.appendLine(message);
  const registry = new WattLensRegistry();
  const trace = new Trace(output);
  const gpu = new GpuInfo(log);
  const folders = () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);

  // the documents object exists before any worker answer can arrive (answers come as messages, later)
  let documents: AnalyzedDocuments | undefined;
  // parsed library files and the worker's code cache, kept across sessions in the extension's own storage
  const cacheDir = context.globalStorageUri.scheme === 'file' ? join(context.globalStorageUri.fsPath, 'cache') : undefined;
  const workerData: AnalysisWorkerData = { cacheDir };
  const client = new AnalysisClient({
    createWorker: () => {
      const worker = new Worker(join(__dirname, 'worker.js'), { resourceLimits: ANALYSIS_WORKER_LIMITS, workerData });
      // the schemas its messages are checked with load while the worker starts (on another core), not
      // when its first answer is already waiting: dist/lazy.js costs ~50-200 ms to compile and run
      setImmediate(() => lazyModules());
      return worker;
    },
    // zod loads after activation, not during it (it was most of the bundle's load time)
    parseMessage: (data) => lazyModules().parseFromWorker(data),
    timeoutMs: ANALYSIS_TIMEOUT_MS,
    startupGraceMs: WORKER_STARTUP_GRACE_MS,
    cancelAfterMs: CANCEL_STALE_AFTER_MS,
    spareAfterMs: SPARE_WORKER_AFTER_MS,
    parseCacheDir: cacheDir,
    onResult: (result, roundTripMs) => {
      trace.analyzed(result.uri, result.version, result.timings, roundTripMs);
      documents?.onResult(result);
    },
    onPartialResult: (result, roundTripMs) => {
      trace.step(result.uri, result.version, `first model shown after ${Math.round(roundTripMs)} ms (the rest under way)`);
      documents?.onPartialResult(result);
    },
    onFailure: (uri, version, kind, message) => {
      log(`${vscode.workspace.asRelativePath(vscode.Uri.parse(uri))} v${version}: ${kind}: ${message}`);
      documents?.onFailure(uri, version, kind, message);
    },
    log,
    step: (uri, version, what) => trace.step(uri, version, what),
    priority: (uri) => (uri === documents?.activeKey() ? 0 : documents?.isVisible(uri) ? 1 : 2),
  });
  client.setWorkspaceRoots(folders());
  client.setPythonEnvironment(currentPythonEnvironment());
  documents = new AnalyzedDocuments(client, settingsFor, trace);
  const docs = documents;

  // pilot run records: nothing is watched or read until a surface asks (calibrations with the setting on, the panel's History)
  const runRecords = new RunRecordFeed(folders, log);
  const calibrations = new CalibrationSource(folders, log, runRecords);
  const hints = new CostInlayHints(docs, trace, calibrations, gpu);
  const lenses = new ModelCodeLenses(docs, registry, calibrations, gpu);
  const loopLenses = new TrainingLoopLenses(docs, calibrations);
  const diagnostics = new HotspotDiagnostics(docs, gpu, registry);
  const statusBar = new ModelStatusBar(docs, gpu);
  const watcher = new WorkspaceWatcher((path, event) => docs.fileChanged(path, event), log);
  let watching = false;

  const refreshAll = () => {
    hints.refresh();
    lenses.refresh();
    diagnostics.update();
    statusBar.update();
  };

  context.subscriptions.push(
    output,
    registry,
    gpu,
    docs,
    runRecords,
    calibrations,
    hints,
    lenses,
    loopLenses,
    diagnostics,
    statusBar,
    { dispose: () => client.dispose() },
    watchPythonEnvironment(() => {
      client.setPythonEnvironment(currentPythonEnvironment());
      docs.reanalyzeAll();
    }),
    { dispose: () => void watcher.close() },
    registerOnboarding(docs.onDidUpdate),
    vscode.languages.registerInlayHintsProvider(ANALYZED_DOCUMENTS, hints),
    vscode.languages.registerHoverProvider(ANALYZED_DOCUMENTS, new CostHover(docs, calibrations, gpu)),
    vscode.languages.registerCodeLensProvider(ANALYZED_DOCUMENTS, lenses),
    vscode.languages.registerCodeLensProvider(ANALYZED_DOCUMENTS, loopLenses),
    // the first model's figures while the rest of the file is analyzed: hints and lenses only
    docs.onDidShowPartial(() => {
      hints.refresh();
      lenses.refresh();
      loopLenses.refresh();
    }),
    docs.onDidUpdate((key) => {
      hints.refresh();
      lenses.refresh();
      loopLenses.refresh();
      diagnostics.update(key);
      statusBar.update();
      // the disk watch starts with the first analysis, not at activation
      if (!watching) {
        watching = true;
        void watcher.watch(folders());
      }
    }),
    registry.onDidChange(refreshAll),
    calibrations.onDidChange(() => {
      hints.refresh();
      lenses.refresh();
      loopLenses.refresh();
    }),
    gpu.onDidChange(() => {
      lenses.refresh();
      hints.refresh();
      diagnostics.update();
      statusBar.update();
    }),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.clear(d.uri)),
    vscode.window.onDidChangeActiveTextEditor(() => statusBar.update()),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor === vscode.window.activeTextEditor) statusBar.update();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(CONFIG_SECTION)) return;
      if (ANALYSIS_KEYS.some((k) => e.affectsConfiguration(k))) docs.reanalyzeAll();
      refreshAll();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      client.setWorkspaceRoots(folders());
      client.setPythonEnvironment(currentPythonEnvironment());
      client.invalidateImports();
      runRecords.foldersChanged();
      calibrations.reloadAll();
      if (watching) void watcher.watch(folders());
    }),
    vscode.commands.registerCommand(COMMANDS.setInputShape, (uri?: unknown, model?: unknown) => setInputShape(docs, uri, model)),
    vscode.commands.registerCommand(COMMANDS.analyzeFile, (uri?: unknown) => analyzeFile(docs, output, uri)),
    vscode.commands.registerCommand(COMMANDS.openSettings, () =>
      vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${context.extension.id}`),
    ),
    vscode.commands.registerCommand(COMMANDS.statusBarClick, () => {
      const opener = registry.reportOpener();
      const shown = statusBar.shown;
      if (opener && shown) return vscode.commands.executeCommand(opener.command, shown.uri, shown.model);
      return vscode.commands.executeCommand(COMMANDS.openSettings);
    }),
  );
  // the shared services, created once above: features get them instead of making their own
  registerFeatures({
    extension: context,
    registry,
    documents: docs,
    analysis: client,
    settings: settingsFor,
    gpu,
    runRecords,
    calibrations,
    folders,
    output,
    log,
    trace,
  });
  statusBar.update();

  const now = performance.now();
  const loadMs = BUNDLE_LOADED_AT - BUNDLE_STARTED_AT;
  const activateMs = now - activateStarted;
  log(
    `WattLens activated in ${Math.round(loadMs + activateMs)} ms (bundle load ${Math.round(loadMs)} ms + activate() ${Math.round(activateMs)} ms; the parser loads in the worker with the first analysis)`,
  );
  return { registry };
}

export function deactivate(): void {}

// The History tab's source: past pilots of the workspace (HistorySource, on the shared run-record
// feed), read again when a pilot settles, and Refresh / Compare / Clear.
import type { HostSection, PanelHost } from './hostSection';
import { HistorySource } from '../historySource';

export function historySource(panel: PanelHost): HostSection<'history'> {
  const { feature, pilots } = panel;
  const history = new HistorySource(() => feature.folders()[0], feature.log, feature.runRecords);
  const subscription = pilots.onDidChange((kind) => {
    if (kind !== 'progress' && !pilots.running) history.reloadSoon();
  });
  return {
    current: () => history.current(),
    onDidChange: history.onDidChange,
    async handle(request, from) {
      switch (request.type) {
        case 'refreshHistory':
          await history.reload();
          return;
        case 'compareRuns': {
          const why = await history.compare(request.a, request.b);
          if (why) from.notice('warning', `Cannot compare: ${why}`);
          return;
        }
        case 'clearComparison':
          history.clearComparison();
          return;
      }
    },
    // the comparison's PUE, carbon intensity and price come from the settings
    configurationChanged: () => void history.reload(),
    dispose: () => {
      subscription.dispose();
      history.dispose();
    },
  };
}

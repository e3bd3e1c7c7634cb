// Command identifiers, as contributed in package.json.
export const COMMANDS = {
  setInputShape: 'wattlens.setInputShape',
  analyzeFile: 'wattlens.analyzeFile',
  openSettings: 'wattlens.openSettings',
  /** Internal (not in the palette): the status bar item's click. */
  statusBarClick: 'wattlens.statusBarClick',
  /** Registered by the report panel and pilot features when they exist. */
  showReport: 'wattlens.showReport',
  runPilot: 'wattlens.runPilot',
} as const;

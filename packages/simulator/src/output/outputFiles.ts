/** The files a simulation writes into its output folder. */
export const OUTPUT_FILES = ['epochs.csv', 'months.csv', 'summary.json', 'report.html'] as const

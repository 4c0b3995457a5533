/** What a report says about the scan it reports on (HTML header, OCSF metadata, CSV file names). */
export interface ReportMeta {
  /** When the scan ran, ISO 8601. */
  scannedAt: string;
  /** The auditor's version (package.json). */
  toolVersion: string;
  /** The accounts and regions scanned, sorted. */
  accounts: string[];
  regions: string[];
  /** The parameters in effect (section 3 of DESIGN), as given to the engine. */
  params: Record<string, unknown>;
}

// Writes docs/detectors.md from the detector registry (src/watchdog/detectors); a test checks it.
// Run: node --import tsx scripts/docs-detectors.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectorsMarkdown } from '../src/watchdog/docs.ts';

writeFileSync(join(import.meta.dirname, '..', 'docs', 'detectors.md'), detectorsMarkdown());

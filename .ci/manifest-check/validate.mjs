// Validates rendered Kubernetes manifests offline against the JSON schemas bundled in npm packages:
// kubernetes-models (core Kubernetes API), @kubernetes-models/prometheus-operator (ServiceMonitor,
// PrometheusRule) and @kubernetes-models/keda (ScaledObject). Unknown fields, wrong types and missing
// required fields are errors; so is a kind this script has no schema for.
// Usage: node validate.mjs FILE.yaml...   (multi-document YAML, as `helm template` prints it)
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const modules = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
  "keda.sh/v1alpha1": "@kubernetes-models/keda/keda.sh/v1alpha1",
};

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  const documents = parseAllDocuments(readFileSync(file, "utf8"));
  for (const document of documents) {
    if (document.errors.length > 0) {
      console.error(`${file}: YAML error: ${document.errors[0].message}`);
      failures++;
      continue;
    }
    const manifest = document.toJS();
    if (manifest === null || manifest === undefined) {
      continue;
    }
    const where = `${file}: ${manifest.kind}/${manifest.metadata?.name}`;
    const moduleName = modules[manifest.apiVersion];
    if (!moduleName) {
      console.error(`${where}: no schema for apiVersion ${manifest.apiVersion}`);
      failures++;
      continue;
    }
    const models = await import(moduleName);
    const Model = models[manifest.kind];
    if (!Model) {
      console.error(`${where}: no schema for kind ${manifest.kind} in ${manifest.apiVersion}`);
      failures++;
      continue;
    }
    try {
      new Model(manifest).validate();
      checked++;
    } catch (error) {
      const details = error.errors ? error.errors.map((e) => `${e.instancePath} ${e.message}`).join("; ") : error.message;
      console.error(`${where}: ${details}`);
      failures++;
    }
  }
}
console.log(`${checked} manifest(s) valid, ${failures} problem(s)`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);

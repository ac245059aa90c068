// Validates Gateway API and prometheus-operator resources against the JSON schemas generated from
// those projects' CRDs (@kubernetes-models). Reads a JSON array of objects on stdin; prints one
// JSON line per object and exits 1 when any is invalid or of a kind it has no schema for.
const PACKAGES = {
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

let input = "";
for await (const chunk of process.stdin) input += chunk;
let failed = false;
for (const object of JSON.parse(input)) {
  const [group, version] = object.apiVersion.split("/");
  const name = `${object.kind}/${object.metadata?.name}`;
  const pkg = PACKAGES[group];
  let errors = [];
  if (!pkg) {
    errors = [`no schema for ${object.apiVersion}`];
  } else {
    try {
      const module = await import(`${pkg}/${group}/${version}/${object.kind}`);
      new module[object.kind](object).validate();
    } catch (error) {
      errors = [error.message];
    }
  }
  if (errors.length) failed = true;
  console.log(JSON.stringify({ object: name, apiVersion: object.apiVersion, valid: errors.length === 0, errors }));
}
process.exit(failed ? 1 : 0);

# workerd config for the example worker. Build the package first (npm run build), then:
#
#   ./node_modules/.bin/workerd serve examples/cloudflare-worker/config.capnp
#
# and POST an image to http://127.0.0.1:8787/ (see worker.js). The kernel is a wasm module binding:
# workerd cannot compile WebAssembly from bytes at run time.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .augment) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const augment :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "lockstep", esModule = embed "../../build/workerd.js"),
    (name = "lockstep/io", esModule = embed "../../build/io.js"),
    (name = "lockstep.wasm", wasm = embed "../../build/lockstep.wasm"),
  ],
  compatibilityDate = "2024-09-23",
);

// Start-up hook for `pulumi preview` (Pulumi.yaml nodeargs) and the developer tools (offline
// plan, policy pack host, bench): defers the TypeScript compiler, which @pulumi/pulumi loads
// eagerly (through @pulumi/pulumi/typescript-shim) but only function serialization
// (`pulumi.runtime.serializeFunction`, "magic lambdas") ever uses. That is about 0.2 s of every
// process that loads the SDK, and neither the program nor the pack serializes a function. The
// module is replaced by a proxy that loads the real one on first use, so nothing breaks if it
// ever is needed; requests from outside @pulumi/pulumi are untouched.
"use strict";
const path = require("path");
const Module = require("module");

const PULUMI_DIR = `${path.sep}node_modules${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
const DEFERRED = new Set(["../../typescript-shim"]);
const proxies = new Map();
const originalLoad = Module._load;

function deferredModule(load) {
    let real;
    const target = () => (real ??= load());
    // `__esModule` is answered without loading so that TypeScript's __importStar helper keeps
    // the proxy as the namespace instead of copying (and so loading) every export.
    return new Proxy(
        {},
        {
            get: (_, key) => (key === "__esModule" ? true : Reflect.get(target(), key)),
            has: (_, key) => Reflect.has(target(), key),
            ownKeys: () => Reflect.ownKeys(target()),
            getOwnPropertyDescriptor: (_, key) => {
                const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
                return descriptor && { ...descriptor, configurable: true };
            },
        },
    );
}

Module._load = function loadDeferringClosureDeps(request, parent, isMain) {
    if (DEFERRED.has(request) && parent?.filename?.includes(PULUMI_DIR)) {
        const filename = Module._resolveFilename(request, parent, isMain);
        if (!proxies.has(filename)) {
            proxies.set(filename, deferredModule(() => originalLoad.call(this, request, parent, isMain)));
        }
        return proxies.get(filename);
    }
    return originalLoad.apply(this, arguments);
};

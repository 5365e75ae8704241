// Loads the prebuilt (federated) extensions named in the page config before the core application
// starts, so that module federation can settle on one copy of every shared singleton first.

function pageOption(name) {
  const el = document.getElementById('jupyter-config-data');
  const config = el ? JSON.parse(el.textContent || '{}') : {};
  return config[name];
}

function addScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.async = true;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    script.src = url;
    document.head.appendChild(script);
  });
}

async function initContainer(baseUrl, ext) {
  await addScript(`${baseUrl}/${ext.name}/${ext.load}`);
  // eslint-disable-next-line no-undef
  await __webpack_init_sharing__('default');
  const container = window._JUPYTERLAB[ext.name];
  // eslint-disable-next-line no-undef
  await container.init(__webpack_share_scopes__.default);
}

async function bootstrap() {
  const federated = pageOption('federated_extensions') || [];
  const baseUrl = pageOption('fullLabextensionsUrl');
  const results = await Promise.allSettled(federated.map(ext => initContainer(baseUrl, ext)));
  for (const r of results) {
    if (r.status === 'rejected') console.error(r.reason);
  }
  const { main } = await import('./main.js');
  await main();
}

if (document.readyState === 'complete') {
  void bootstrap();
} else {
  window.addEventListener('load', () => void bootstrap());
}

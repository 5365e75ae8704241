// Runs first: chunks must load from the static URL the server chose, which is only known from the
// page config that the server writes into the HTML. Reads the config by hand because no package
// (not even @jupyterlab/coreutils) may load before the public path is set.
const el = document.getElementById('jupyter-config-data');
const config = el ? JSON.parse(el.textContent || '{}') : {};
// eslint-disable-next-line no-undef
__webpack_public_path__ = String(config.fullStaticUrl || '') + '/';

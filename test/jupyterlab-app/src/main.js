// Creates the JupyterLab application: the core plugins listed by @jupyterlab/core-meta (bundled,
// see the generated core-plugins.js) plus the prebuilt extensions the server found.
import { PageConfig } from '@jupyterlab/coreutils';
import { PluginRegistry } from '@lumino/coreutils';
import { coreExtensions, coreMimeExtensions } from '../dist/generated/core-plugins.js';
import '../dist/style.js';

async function federatedModule(scope, module) {
  const factory = await window._JUPYTERLAB[scope].get(module);
  const instance = factory();
  instance.__scope__ = scope;
  return instance;
}

function pluginsOf(module) {
  const exported = Object.prototype.hasOwnProperty.call(module, '__esModule')
    ? module.default
    : module;
  return Array.isArray(exported) ? exported : [exported];
}

export async function main() {
  const federated = JSON.parse(PageConfig.getOption('federated_extensions') || '[]');
  const federatedNames = new Set();
  const federatedPlugins = [];
  const federatedMime = [];
  const federatedStyles = [];
  for (const ext of federated) {
    if (ext.extension) {
      federatedNames.add(ext.name);
      federatedPlugins.push(federatedModule(ext.name, ext.extension));
    }
    if (ext.mimeExtension) {
      federatedNames.add(ext.name);
      federatedMime.push(federatedModule(ext.name, ext.mimeExtension));
    }
    if (ext.style && !PageConfig.Extension.isDisabled(ext.name)) {
      federatedStyles.push(federatedModule(ext.name, ext.style));
    }
  }

  const disabled = [];
  const deferred = [];
  const ignorePlugins = [];
  const availablePlugins = [];
  // Keeps enabled plugins, records every plugin for the plugin manager.
  const enabledPlugins = (module, scope) => {
    const kept = [];
    for (const plugin of pluginsOf(module)) {
      const isDisabled = PageConfig.Extension.isDisabled(plugin.id);
      availablePlugins.push({
        id: plugin.id,
        description: plugin.description,
        requires: plugin.requires ?? [],
        optional: plugin.optional ?? [],
        provides: plugin.provides ?? null,
        autoStart: plugin.autoStart,
        enabled: !isDisabled,
        extension: scope
      });
      if (isDisabled) {
        disabled.push(plugin.id);
        continue;
      }
      if (PageConfig.Extension.isDeferred(plugin.id)) {
        deferred.push(plugin.id);
        ignorePlugins.push(plugin.id);
      }
      kept.push(plugin);
    }
    return kept;
  };

  const mimeExtensions = [];
  for (const [name, load] of coreMimeExtensions) {
    if (federatedNames.has(name)) continue;
    try {
      mimeExtensions.push(...enabledPlugins(await load(), name));
    } catch (err) {
      console.error(err);
    }
  }
  for (const result of await Promise.allSettled(federatedMime)) {
    if (result.status === 'fulfilled') {
      mimeExtensions.push(...enabledPlugins(result.value, result.value.__scope__));
    } else {
      console.error(result.reason);
    }
  }

  const plugins = [];
  for (const [name, load] of coreExtensions) {
    if (federatedNames.has(name)) continue;
    try {
      plugins.push(...enabledPlugins(await load(), name));
    } catch (err) {
      console.error(err);
    }
  }
  for (const result of await Promise.allSettled(federatedPlugins)) {
    if (result.status === 'fulfilled') {
      plugins.push(...enabledPlugins(result.value, result.value.__scope__));
    } else {
      console.error(result.reason);
    }
  }
  for (const result of await Promise.allSettled(federatedStyles)) {
    if (result.status === 'rejected') console.error(result.reason);
  }

  const pluginRegistry = new PluginRegistry();
  pluginRegistry.registerPlugins(plugins);
  const { IConnectionStatus, IServiceManager } = await import('@jupyterlab/services');
  const { JupyterLab } = await import('@jupyterlab/application');
  const lab = new JupyterLab({
    pluginRegistry,
    serviceManager: await pluginRegistry.resolveOptionalService(IServiceManager),
    connectionStatus: await pluginRegistry.resolveOptionalService(IConnectionStatus),
    mimeExtensions,
    disabled: { matches: disabled, patterns: PageConfig.Extension.disabled.map(p => p.raw) },
    deferred: { matches: deferred, patterns: PageConfig.Extension.deferred.map(p => p.raw) },
    availablePlugins
  });
  // Browser tests reach the application (and its `restored` promise) through window.jupyterapp.
  if ((PageConfig.getOption('exposeAppInBrowser') || '').toLowerCase() === 'true') {
    window.jupyterapp = lab;
  }
  await lab.start({ ignorePlugins, bubblingKeydown: true });
}

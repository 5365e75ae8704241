"""Serves the test JupyterLab frontend (dist/, built by rspack.config.cjs) with Debian's jupyter_server.

Run with Debian's Python:
    /usr/bin/python3 server.py --port=PORT --ServerApp.root_dir=DIR \
        --LabServerApp.extra_labextensions_path=DIR_HOLDING_@emotune/jupyterlab-ext
The page config mirrors what JupyterLab's own LabApp sets for a read-only, prebuilt installation.
"""
import os

from jupyter_core.paths import jupyter_config_dir
from jupyterlab_server import LabServerApp

HERE = os.path.dirname(os.path.abspath(__file__))
DIST = os.path.join(HERE, "dist")


class EmotuneTestLab(LabServerApp):
    name = "lab"  # serves /lab and /static/lab like JupyterLab, and reads the `LabServerApp` config
    app_name = "JupyterLab"
    extension_url = "/lab"
    default_url = "/lab"
    load_other_extensions = False

    def initialize_templates(self):
        # Runs before settings and handlers, so every directory is in place for both.
        self.static_dir = os.path.join(DIST, "static")
        # HtmlRspackPlugin writes index.html beside the bundle; the server renders it as a template.
        self.templates_dir = os.path.join(DIST, "static")
        self.schemas_dir = os.path.join(DIST, "schemas")
        self.themes_dir = os.path.join(DIST, "themes")
        # settings/overrides.json: no news feed or update checks (no network), no autosave (tests open
        # committed notebooks and must not rewrite them), every cell attached (outputs render off-screen).
        self.app_settings_dir = os.path.join(HERE, "settings")
        # User settings and workspaces live under JUPYTER_CONFIG_DIR (a fresh temp dir in tests).
        lab_config = os.path.join(jupyter_config_dir(), "lab")
        self.user_settings_dir = self.user_settings_dir or os.path.join(lab_config, "user-settings")
        self.workspaces_dir = self.workspaces_dir or os.path.join(lab_config, "workspaces")
        super().initialize_templates()

    def initialize_settings(self):
        page_config = self.serverapp.web_app.settings.setdefault("page_config_data", {})
        page_config.update(
            {
                "appName": "JupyterLab",
                "buildAvailable": False,
                "buildCheck": False,
                "devMode": False,
                "exposeAppInBrowser": True,  # browser tests reach the app as window.jupyterapp
                "quitButton": False,
                "notebookStartsKernel": True,
                "token": self.serverapp.token,
                "extensionManager": {"name": "read-only", "can_install": False, "install_path": None},
            }
        )
        super().initialize_settings()


def _jupyter_server_extension_points():
    # jupyter_server looks the starter extension up by module; this script runs as __main__.
    return [{"module": "__main__", "app": EmotuneTestLab}]


if __name__ == "__main__":
    EmotuneTestLab.launch_instance()

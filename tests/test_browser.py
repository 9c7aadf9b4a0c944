"""JupyterLab in a real browser: headless Chromium opens learner notebooks, runs all cells,
and a person's view is checked: errors only at the exercise stubs, in the short form that
names the exercise and what to do; plots drawn; and the learning-rate slider redraws its
plot when moved. Screenshots land in tests/artifacts/."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from autograder.course import LEARNER_DIR, REPO_ROOT
from notebook_tools import solved_learner_copy
from starter_lib import lab as lab_settings

NOTEBOOK = "03-logistic-regression"
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
QUIET_LAB = {"@jupyterlab/apputils-extension": {"notification.jupyterlab-settings": {
    "fetchNews": "false", "checkForUpdates": False}}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str, every: float = 0.5, quiet: bool = False):
    """Poll ``condition`` until it returns something true; fail (or return None if quiet) at timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(every)
    if quiet:
        return None
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory, mnist_settings):
    """A JupyterLab server on localhost serving the blank and a solved learner notebook."""
    for command in (CHROMIUM, CHROMEDRIVER):
        assert command.is_file(), f"{command} is missing: install the Debian packages chromium and chromium-driver"
    root = tmp_path_factory.mktemp("lab")
    learner_lab = root.parent / f"{root.name}-config"
    lab_settings.write_learner_config(learner_lab)  # as `make lab` has them
    for copy in (NOTEBOOK, f"{NOTEBOOK}-untouched"):
        shutil.copyfile(LEARNER_DIR / f"{NOTEBOOK}.ipynb", root / f"{copy}.ipynb")
    nbformat.write(solved_learner_copy(NOTEBOOK), root / f"{NOTEBOOK}-solved.ipynb")
    settings = root / ".settings"
    for extension, files in QUIET_LAB.items():
        for name, values in files.items():
            (settings / extension).mkdir(parents=True)
            (settings / extension / name).write_text(json.dumps(values))
    port, token = free_port(), "keras-starter-test"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"],
        env={**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings),
             "JUPYTER_CONFIG_PATH": str(learner_lab), **mnist_settings},
        stdout=subprocess.DEVNULL, stderr=open(root.parent / f"{root.name}-lab.log", "w"))
    base = f"http://127.0.0.1:{port}"

    def ready():
        try:
            return urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).status == 200
        except OSError:
            return False

    try:
        wait_for(ready, 60, "JupyterLab to answer")
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1400,1800"):
        options.add_argument(flag)
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for drivers online
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def open_notebook(driver, base, token, notebook):
    """Open a notebook alone in JupyterLab and wait for its kernel; returns the notebook's panel."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/lab/tree/{notebook}?reset&token={token}")
    panel = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".jp-NotebookPanel:not(.lm-mod-hidden)"),
                     60, "the notebook to open")[0]
    wait_for(lambda: panel.find_elements(By.CSS_SELECTOR, ".jp-Cell"), 60, "the cells to render")
    wait_for(lambda: "| Idle" in status_bar(driver), 90, "the kernel to start")
    return panel


def run_all(driver, base, token, notebook, finished):
    """Open a notebook, Run > Run All Cells, wait for ``finished(panel)``.

    Returns the notebook's panel, in which the tests look for outputs."""
    panel = open_notebook(driver, base, token, notebook)

    def started() -> bool:  # Run All is ignored until the notebook is fully connected: retry
        click_menu(driver, "Run", "runmenu:run-all")
        return bool(wait_for(lambda: prompts(panel)[0] != "[ ]:" or None, 10, "", every=0.5, quiet=True))

    wait_for(started, 60, "Run All to start the first cell", every=0)
    wait_for(lambda: finished(panel) and kernel_status(driver) == "idle", 240, "the run to finish", every=1)
    return panel


def status_bar(driver) -> str:
    from selenium.webdriver.common.by import By

    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".jp-StatusBar-Widget"))


def prompts(panel) -> list[str]:
    from selenium.webdriver.common.by import By

    return [p.text for p in panel.find_elements(By.CSS_SELECTOR, ".jp-CodeCell .jp-InputPrompt")]


def kernel_status(driver) -> str:
    from selenium.webdriver.common.by import By

    found = driver.find_elements(By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator")
    return found[0].get_attribute("data-status") if found else ""


def click_menu(driver, menu: str, command: str) -> bool:
    from selenium.webdriver.common.by import By

    for item in driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item"):
        if item.text.strip() == menu:
            item.click()
            entries = driver.find_elements(By.CSS_SELECTOR, f'.lm-Menu-item[data-command="{command}"]')
            if entries:
                entries[0].click()
                return True
    return False


def screenshot(driver, element, name):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    time.sleep(0.5)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / name))


def test_the_learners_lab_has_no_instructor_tools_and_an_opened_notebook_stays_unmodified(lab, browser):
    from selenium.webdriver.common.by import By

    open_notebook(browser, *lab, f"{NOTEBOOK}-untouched.ipynb")
    menus = [item.text.strip() for item in browser.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item")]
    assert "Run" in menus and "Nbgrader" not in menus, menus
    sidebar = [tab.get_attribute("title") or tab.text for tab in browser.find_elements(By.CSS_SELECTOR, ".lm-TabBar-tab")]
    assert not any("assignment" in label.lower() or "formgrader" in label.lower() for label in sidebar), sidebar
    time.sleep(3)  # a notebook that its own loading changes turns dirty within moments
    tab = browser.find_element(By.CSS_SELECTOR, ".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    assert "jp-mod-dirty" not in tab.get_attribute("class"), "the notebook shows as modified before any edit"


def test_blank_copy_stops_at_the_first_exercise_stub_and_says_what_to_do(lab, browser):
    from selenium.webdriver.common.by import By

    panel = run_all(browser, *lab, f"{NOTEBOOK}.ipynb", lambda panel: panel.find_elements(By.CSS_SELECTOR, STDERR))
    errors = panel.find_elements(By.CSS_SELECTOR, STDERR)
    assert len(errors) == 1, [e.text for e in errors]
    assert errors[0].text.splitlines() == [  # the short form of starter_lib.failures, not a traceback
        "Exercise 1 (2 points): the sigmoid in NumPy",
        "Exercise 1 is not done yet: replace `raise NotImplementedError()` in the cell above with your answer."]
    screenshot(browser, errors[0], "jupyterlab-blank.png")
    assert prompts(panel)[:2] == ["[1]:", "[2]:"]  # the setup and import cells ran before the stub


def test_solved_copy_runs_clean_draws_plots_and_the_slider_redraws(lab, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    panel = run_all(browser, *lab, f"{NOTEBOOK}-solved.ipynb",
                    lambda panel: prompts(panel)[-1].strip("[]:").isdigit())
    assert panel.find_elements(By.CSS_SELECTOR, STDERR) == []
    plots = panel.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output.jp-RenderedImage img")
    assert len(plots) >= 4  # sigmoid, sample grid, training curves, confusion matrix
    assert all(int(p.get_attribute("naturalWidth")) > 100 for p in plots)
    handle = wait_for(lambda: panel.find_elements(By.CSS_SELECTOR, ".widget-slider .noUi-handle"), 30,
                      "the learning-rate slider")[0]
    picture = lambda: panel.find_element(By.CSS_SELECTOR, "img.widget-image").get_attribute("src")
    before = wait_for(picture, 30, "the explorer's plot")
    screenshot(browser, handle, "jupyterlab-explorer-before.png")
    ActionChains(browser).drag_and_drop_by_offset(handle, 120, 0).perform()
    wait_for(lambda: picture() != before, 30, "the plot to redraw after moving the slider")
    screenshot(browser, handle, "jupyterlab-explorer-after.png")
    assert "5 of 5 exercises done." in panel.find_elements(By.CSS_SELECTOR, ".jp-CodeCell")[-1].text

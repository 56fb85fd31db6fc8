"""The first-run wizard's offline pages: the agent's own details, and the desk's villages.

Every printed form needs the agent, every client a village; on a village's first day there is
usually no hub to bring them. Both pages check as the user types (services/desk_setup.py) and
say what is wrong in one line; Next stays disabled until the answers can be saved.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
    QWizardPage,
)

from agent_desk.catalog.regions import Region, region_table
from agent_desk.core.errors import DomainError
from agent_desk.services.desk_setup import (
    AgentDetails,
    DeskSetup,
    check_agent,
    check_codes,
    parse_code_pairs,
)


def _problem_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("color: #c0392b;")
    return label


def form_row(form: QFormLayout, field: QWidget) -> QLabel:
    """A row whose label is a real QLabel (``addRow("", w)`` makes none), named by retranslate."""
    label = QLabel(field.parentWidget())
    label.setBuddy(field)
    form.addRow(label, field)
    return label


class AgentPage(QWizardPage):
    """姓名、电话、身份证号码、便民服务室: what every form prints about the agent."""

    def __init__(self) -> None:
        super().__init__()
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[QWidget, QLabel] = {}
        self.form = QFormLayout(self)
        for key in ("name", "phone", "id_number", "service_room"):
            edit = QLineEdit(self)
            edit.setObjectName(f"agent_{key}")
            edit.textChanged.connect(self._changed)
            self.edits[key] = edit
            self.labels[edit] = form_row(self.form, edit)
        self.problem = _problem_label(self, "agentProblem")
        self.form.addRow(self.problem)

    def fill(self, values: dict[str, str]) -> None:
        """Type the agent's details (the screenshots and tests use it as a user would)."""
        for key, text in values.items():
            self.edits[key].setText(text)

    def agent(self) -> AgentDetails:
        return AgentDetails(**{key: edit.text().strip() for key, edit in self.edits.items()})

    def _problem(self) -> str:
        try:
            check_agent(self.agent())
        except DomainError as exc:
            return str(exc)
        return ""

    def _changed(self) -> None:
        typed = all(edit.text().strip() for edit in self.edits.values())
        self.problem.setText(self._problem() if typed else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return not self._problem()

    def retranslate(self) -> None:
        self.setTitle(self.tr("You, the agent"))
        self.setSubTitle(self.tr("Printed on every proxy authorisation, form and receipt."))
        texts = {
            "name": self.tr("&Name"),
            "phone": self.tr("&Phone"),
            "id_number": self.tr("&ID number"),
            "service_room": self.tr("&Service room"),
        }
        for key, text in texts.items():
            self.labels[self.edits[key]].setText(text)
        self.edits["service_room"].setPlaceholderText(self.tr("e.g. Shiqiao Village service room"))


class VillagesPage(QWizardPage):
    """The county from the region table; the township and villages typed with their codes."""

    def __init__(self, next_id: int) -> None:
        super().__init__()
        self.next_id = next_id
        self.table = region_table()
        self.province, self.city, self.county = QComboBox(self), QComboBox(self), QComboBox(self)
        for combo, name in (
            (self.province, "province"),
            (self.city, "city"),
            (self.county, "county"),
        ):
            combo.setObjectName(name)
        self.township_code, self.township_name = QLineEdit(self), QLineEdit(self)
        self.township_code.setObjectName("townshipCode")
        self.township_name.setObjectName("townshipName")
        self.villages = QPlainTextEdit(self)
        self.villages.setObjectName("villages")
        self.villages.setFixedHeight(90)
        self.problem = _problem_label(self, "villagesProblem")
        self.form = QFormLayout(self)
        widgets = (
            self.province,
            self.city,
            self.county,
            self.township_code,
            self.township_name,
            self.villages,
        )
        self.labels = {widget: form_row(self.form, widget) for widget in widgets}
        self.form.addRow(self.problem)
        self._fill(self.province, self.table.provinces())
        self.province.currentIndexChanged.connect(self._province_chosen)
        self.city.currentIndexChanged.connect(self._city_chosen)
        for signal in (
            self.county.currentIndexChanged,
            self.township_code.textChanged,
            self.township_name.textChanged,
            self.villages.textChanged,
        ):
            signal.connect(self._changed)
        self._province_chosen()

    @staticmethod
    def _fill(combo: QComboBox, regions: list[Region]) -> None:
        combo.blockSignals(True)
        combo.clear()
        for region in regions:
            combo.addItem(f"{region.name}（{region.code}）", region.code)
        combo.blockSignals(False)

    def _province_chosen(self) -> None:
        province = str(self.province.currentData() or "")
        cities = self.table.cities(province)
        self._fill(self.city, cities)
        self.city.setEnabled(bool(cities))
        self._city_chosen()

    def _city_chosen(self) -> None:
        parent = str(self.city.currentData() or self.province.currentData() or "")
        self._fill(self.county, self.table.counties(parent))
        self._changed()

    def choose_county(self, code: str) -> None:
        """Select a county by code (the combos follow), as a user picking province, city, county would."""
        self.province.setCurrentIndex(self.province.findData(code[:2] + "0000"))
        if self.city.isEnabled():
            self.city.setCurrentIndex(self.city.findData(code[:4] + "00"))
        self.county.setCurrentIndex(self.county.findData(code))

    def fill(self, county: str, township: tuple[str, str], villages: str) -> None:
        """Pick the county and type the township and the village lines, as a user would."""
        self.choose_county(county)
        self.township_code.setText(township[0])
        self.township_name.setText(township[1])
        self.villages.setPlainText(villages)

    def setup(self) -> DeskSetup:
        """The answers; lines of the village box are 「代码 名称」 or 「代码=名称」."""
        pairs = [
            " ".join(line.split()).replace(" ", "=", 1)
            for line in self.villages.toPlainText().splitlines()
        ]
        code = self.township_code.text().strip()
        return DeskSetup(
            townships={code: self.township_name.text().strip()} if code else {},
            villages=parse_code_pairs([p for p in pairs if p], "村"),
            county=str(self.county.currentData() or "") or None,
        )

    def _problem(self) -> str:
        try:
            setup = self.setup()
            if not setup.townships or not setup.villages:
                return self.tr("Type the township and at least one village.")
            check_codes(setup, {}, self.table)
        except DomainError as exc:
            return str(exc)
        return ""

    def _changed(self) -> None:
        typed = bool(self.township_code.text().strip() or self.villages.toPlainText().strip())
        self.problem.setText(self._problem() if typed else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return not self._problem()

    def nextId(self) -> int:  # noqa: N802
        return self.next_id

    def retranslate(self) -> None:
        self.setTitle(self.tr("The villages of this desk"))
        self.setSubTitle(
            self.tr(
                "Choose the county, then type the township and each village with its statistical area code "
                "(9 and 12 digits). One village per line: 620524100201 Shiqiao Village"
            )
        )
        texts = (
            (self.province, self.tr("Province")),
            (self.city, self.tr("City")),
            (self.county, self.tr("&County")),
            (self.township_code, self.tr("&Township code")),
            (self.township_name, self.tr("Township &name")),
            (self.villages, self.tr("&Villages")),
        )
        for widget, text in texts:
            self.labels[widget].setText(text)
        self.township_code.setPlaceholderText("620524100")
        self.township_name.setPlaceholderText(self.tr("e.g. Luomen"))

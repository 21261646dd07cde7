"""Response shapes of the collection endpoints of API v1 (numbers as decimal strings)."""

import datetime

from ninja import Field, Schema

from kinerja.api.schemas import (
    AchievementFields,
    RatingBandOut,
    RatingCountOut,
    TargetOut,
    UnitRefOut,
)


class WorksheetCountsOut(Schema):
    """How many of the collection's worksheets are in each status."""

    draft: int
    submitted: int
    returned: int
    accepted: int
    approved: int
    total: int


class CollectionOut(Schema):
    id: int
    agency: str = Field(description="The agency's code.")
    year: int
    period: str = Field(description="tw1, tw2, tw3, tw4, s1, s2 or annual.")
    period_label: str
    status: str = Field(description="draft, open or locked.")
    process_id: int | None = Field(description="The running SOP instance, if the SOP was started.")
    worksheet_counts: WorksheetCountsOut


class WorksheetStatusOut(Schema):
    id: int
    unit: UnitRefOut
    status: str = Field(description="draft, submitted, returned, accepted or approved.")
    deadline: datetime.datetime
    first_submitted_at: datetime.datetime | None = Field(
        description="Timeliness is judged on the first submission against the deadline."
    )
    submitted_at: datetime.datetime | None
    revision: int
    submission_count: int
    row_count: int
    filled_count: int = Field(description="Rows whose current version holds a realisation.")


class CollectionDetailOut(CollectionOut):
    worksheets: list[WorksheetStatusOut]


class IndicatorRefOut(Schema):
    code: str
    name: str
    unit_of_measure: str


class EmployeeRefOut(Schema):
    name: str
    nip: str | None


class UserRefOut(Schema):
    username: str
    name: str


class EntryVersionOut(Schema):
    version: int
    is_current: bool
    value: str | None = Field(description="The realisation.")
    numerator: str | None
    denominator: str | None
    analysis: str
    obstacles: str
    follow_up: str
    entered_by: UserRefOut | None
    entered_at: datetime.datetime
    submission_no: int = Field(description="The unit's submission this version belongs to.")


class WorksheetRowValuesOut(Schema):
    id: int
    indicator: IndicatorRefOut
    target: TargetOut | None = Field(description="The period's target; null when it has none.")
    data_holder: EmployeeRefOut | None
    current_version: int | None = Field(description="Null while nothing has been entered.")
    versions: list[EntryVersionOut] = Field(description="Every version, oldest first.")


class WorksheetValuesOut(Schema):
    id: int
    collection_id: int
    unit: UnitRefOut
    status: str
    revision: int
    submission_count: int
    rows: list[WorksheetRowValuesOut]


class RecapRowOut(AchievementFields):
    indicator: IndicatorRefOut
    target: TargetOut | None = Field(description="The period's target; null when it has none.")
    realization: str | None = Field(description="The current value of the unit's row.")
    numerator: str | None
    denominator: str | None
    analysis: str
    obstacles: str
    follow_up: str
    data_holder: EmployeeRefOut | None


class RecapUnitOut(Schema):
    unit: UnitRefOut
    worksheet_id: int
    worksheet_status: str = Field(description="draft, submitted, returned, accepted or approved.")
    rows: list[RecapRowOut]
    rating_counts: list[RatingCountOut]
    not_computable: int


class RecapOut(Schema):
    collection_id: int
    agency: str
    year: int
    period: str
    period_label: str
    is_final: bool = Field(description="Every worksheet is approved: only approved data.")
    generated_at: datetime.datetime
    achievement_cap: str | None
    rating_scale: list[RatingBandOut]
    units: list[RecapUnitOut]
    rating_counts: list[RatingCountOut]
    not_computable: int

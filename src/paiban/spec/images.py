"""The `images:` section: how photos are prepared for print."""

from typing import Annotated

from pydantic import Field

from paiban.spec.base import Model


class ImageSettings(Model):
    """Photos are turned upright (EXIF), cropped to their aspect and downsampled before embedding."""

    dpi: Annotated[int, Field(ge=72, le=1200)] = Field(
        300, description="Resolution photos are downsampled to at their printed size (300: offset print).")
    min_dpi: Annotated[int, Field(ge=0, le=1200)] = Field(
        150, description="A photo giving fewer pixels per inch at its printed size is a warning (an error "
                         "under --strict): it would print soft.")
    quality: Annotated[int, Field(ge=30, le=100)] = Field(
        88, description="JPEG quality of a downsampled or cropped JPEG photo.")
    crop: Annotated[float, Field(ge=0, le=0.5)] = Field(
        0.15, description="At most this share of a photo's height (a placeholder's too) the page make-up may "
                          "crop, top and bottom alike, so that it fills the lines left in a column instead of "
                          "leaving them empty; 0: never.")

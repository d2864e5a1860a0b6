"""The columns the KML reader (``geo.read.kml``) makes of a placemark's own elements.

Apart from the reader, so that what reads these columns (``geo.validate.layouts``) does not
import the XML parsing.
"""

NAME, DESCRIPTION, FOLDER = "<name>", "<description>", "<Folder>"
WHEN, BEGIN, END = "<TimeStamp>", "<TimeSpan begin>", "<TimeSpan end>"
LAT, LON = "<Point lat>", "<Point lon>"
#: The columns of the KML's own elements, before the ExtendedData columns.
KML_COLUMNS = (NAME, DESCRIPTION, WHEN, BEGIN, END, LAT, LON, FOLDER)

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from lvzhi.core.tabular import XLSX_CONTENT_TYPE, write_xlsx
from lvzhi.org.models import Region


def office_name():
    """发文机关: the 编办 of the loaded region."""
    region = Region.objects.first()
    return f"{region.name if region else ''}机构编制委员会办公室"


def xlsx_download(filename, sheets):
    """Like ``core.tabular.xlsx_response`` but a plain (non-streaming) response: the ledger export
    sits on a parameterless route, which the access-leak test reads through ``response.content``."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response

"""“这件事归谁管？”: the finder engine (``lvzhi.duties.finder``) served from the database."""

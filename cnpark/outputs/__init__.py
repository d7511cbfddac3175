"""What leaves the dashboard or is drawn on it: gauges (charts), the focus pages' charts (trends, chains), the 调度会
pack (brief: PDF via pdf; slides; sheets), the 终期评估 in Word (evaluation, evaluation_text, docx_doc, docx_layout) and
downloads (exports)."""

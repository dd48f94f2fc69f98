/** The one catalogue of messages meant for people: Vietnamese first, English beside it. */
export interface Message {
  vi: string
  en: string
}

export const messages = {
  'validation-failed': { vi: 'Dữ liệu gửi lên không hợp lệ.', en: 'The request data is not valid.' },
  'malformed-multipart': {
    vi: 'Dữ liệu biểu mẫu gửi lên bị hỏng hoặc không đầy đủ (multipart/form-data), vui lòng gửi lại.',
    en: 'The form data (multipart/form-data) is damaged or incomplete; please send it again.',
  },
  'upload-missing-file': {
    vi: 'Chưa có tệp đính kèm (trường "file").',
    en: 'No file was attached (field "file").',
  },
  'upload-empty': { vi: 'Tệp tải lên rỗng.', en: 'The uploaded file is empty.' },
  'upload-too-large': {
    vi: 'Tệp tải lên vượt quá dung lượng cho phép.',
    en: 'The uploaded file exceeds the size limit.',
  },
  'payload-too-large': {
    vi: 'Nội dung yêu cầu vượt quá dung lượng cho phép.',
    en: 'The request body exceeds the size limit.',
  },
  'upload-unsupported-type': {
    vi: 'Định dạng tệp không được hỗ trợ (chỉ nhận PDF, PNG, JPEG, TIFF).',
    en: 'Unsupported file type (PDF, PNG, JPEG and TIFF are accepted).',
  },
  'unsupported-media-type': {
    vi: 'Kiểu nội dung của yêu cầu không được hỗ trợ.',
    en: 'The request content type is not supported.',
  },
  'upload-type-mismatch': {
    vi: 'Nội dung tệp không khớp với định dạng đã khai báo.',
    en: 'The file content does not match its declared type.',
  },
  'unreadable-image': {
    vi: 'Không đọc được ảnh quét (tệp hỏng hoặc định dạng ảnh không được hỗ trợ).',
    en: 'The scanned image cannot be read (the file is damaged or its image format is not supported).',
  },
  'image-too-large': {
    vi: 'Ảnh quét quá lớn (quá nhiều điểm ảnh) nên không được xử lý; hãy quét lại với độ phân giải thấp hơn.',
    en: 'The scanned image is too large (too many pixels) to be processed; scan it again at a lower resolution.',
  },
  'not-found': { vi: 'Không tìm thấy.', en: 'Not found.' },
  'route-not-found': { vi: 'Không có địa chỉ này.', en: 'No such route.' },
  'range-not-satisfiable': {
    vi: 'Khoảng dữ liệu yêu cầu không hợp lệ.',
    en: 'The requested range cannot be satisfied.',
  },
  'rate-limited': {
    vi: 'Quá nhiều yêu cầu, vui lòng thử lại sau.',
    en: 'Too many requests, try again later.',
  },
  conflict: {
    vi: 'Dữ liệu vừa bị thay đổi đồng thời, vui lòng thử lại.',
    en: 'A concurrent change interfered, please retry.',
  },
  'service-unavailable': {
    vi: 'Hệ thống tạm thời không sẵn sàng.',
    en: 'The service is temporarily unavailable.',
  },
  'request-timeout': { vi: 'Yêu cầu xử lý quá lâu.', en: 'The request timed out.' },
  internal: { vi: 'Lỗi hệ thống, vui lòng thử lại sau.', en: 'Internal error, please try again later.' },
  unauthenticated: { vi: 'Vui lòng đăng nhập.', en: 'Please sign in.' },
  'invalid-credentials': {
    vi: 'Tên đăng nhập hoặc mật khẩu không đúng.',
    en: 'Wrong username or password.',
  },
  'invalid-totp': {
    vi: 'Mã xác thực không đúng hoặc đã hết hạn.',
    en: 'The verification code is wrong or has expired.',
  },
  'login-challenge-expired': {
    vi: 'Phiên đăng nhập đã hết hạn, vui lòng nhập lại mật khẩu.',
    en: 'The sign-in attempt expired, please enter your password again.',
  },
  'login-locked': {
    vi: 'Đăng nhập sai quá nhiều lần. Tài khoản tạm khóa, vui lòng thử lại sau.',
    en: 'Too many failed sign-ins. The account is locked for a while, please try again later.',
  },
  forbidden: { vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'You are not allowed to do this.' },
  'csrf-failed': {
    vi: 'Yêu cầu không hợp lệ, vui lòng tải lại trang.',
    en: 'The request could not be verified, please reload the page.',
  },
  'mfa-enrollment-required': {
    vi: 'Cơ quan yêu cầu bật xác thực hai bước trước khi tiếp tục.',
    en: 'Your agency requires two-factor authentication before you continue.',
  },
  'already-exists': { vi: 'Đã tồn tại.', en: 'Already exists.' },
  'transition-not-allowed': {
    vi: 'Không thể thực hiện thao tác này ở trạng thái hiện tại của văn bản.',
    en: 'This step is not possible in the document’s current state.',
  },
  'duplicate-suspected': {
    vi: 'Văn bản này có vẻ đã được đăng ký. Kiểm tra văn bản trước đó, hoặc xác nhận để vẫn đăng ký.',
    en: 'This document seems to be registered already. Check the earlier record, or confirm to register anyway.',
  },
  'bad-pkcs12': {
    vi: 'Không đọc được tệp chứng thư số (.p12/.pfx): sai mật khẩu, tệp hỏng, hoặc không có đúng một khóa bí mật khớp với chứng thư.',
    en: 'The certificate file (.p12/.pfx) cannot be read: wrong password, damaged file, or not exactly one private key matching the certificate.',
  },
  'certificate-not-valid': {
    vi: 'Chứng thư số đã hết hạn hoặc chưa có hiệu lực.',
    en: 'The certificate has expired or is not valid yet.',
  },
  'bad-certificate': {
    vi: 'Không đọc được chứng thư số (cần tệp PEM hoặc DER).',
    en: 'The certificate cannot be read (a PEM or DER file is expected).',
  },
  'not-a-ca-certificate': {
    vi: 'Chứng thư này không phải chứng thư của tổ chức cung cấp dịch vụ chứng thực (CA) hợp lệ.',
    en: 'This is not a valid certificate authority (CA) certificate.',
  },
  'wrong-pin': { vi: 'Mã PIN ký số không đúng.', en: 'The signing PIN is wrong.' },
  'credential-locked': {
    vi: 'Nhập sai mã PIN quá nhiều lần. Chứng thư ký số tạm khóa, vui lòng thử lại sau.',
    en: 'Too many wrong PINs. The signing credential is locked for a while, please try again later.',
  },

  'signing-session-expired': {
    vi: 'Phiên ký đã hết hạn, vui lòng chuẩn bị ký lại.',
    en: 'The signing session has expired; prepare the signature again.',
  },
  'signing-session-used': {
    vi: 'Phiên ký đã được hoàn tất hoặc văn bản đã thay đổi từ khi chuẩn bị ký.',
    en: 'The signing session was already completed, or the document changed since it was prepared.',
  },
  'bad-signature-value': {
    vi: 'Giá trị chữ ký không khớp với chứng thư số và dữ liệu cần ký.',
    en: 'The signature value does not verify with the certificate over the data to sign.',
  },
  'pdf-not-signable': {
    vi: 'Không thể ký tệp PDF này (tệp hỏng, bị mã hóa hoặc chữ ký chứng nhận không cho phép thay đổi).',
    en: 'This PDF cannot be signed (damaged, encrypted, or its certification signature forbids changes).',
  },
  'signature-placement-needed': {
    vi: 'Không tìm thấy vị trí chữ ký trên văn bản; hãy chọn trang và vị trí đặt chữ ký.',
    en: 'No signer block was found in the document; give the page and position of the signature.',
  },
  'signature-image-invalid': {
    vi: 'Ảnh chữ ký hoặc con dấu không hợp lệ (cần ảnh PNG nền trong suốt, mỗi chiều tối đa 3000 điểm ảnh).',
    en: 'The signature or seal image is not valid (a PNG with a transparent background, at most 3000 px a side).',
  },
  'tsa-unavailable': {
    vi: 'Máy chủ cấp dấu thời gian không phản hồi đúng; văn bản chưa được ký, vui lòng thử lại sau.',
    en: 'The timestamp authority did not answer properly; nothing was signed, try again later.',
  },
  // Văn bản đi (src/outgoing).
  'number-taken': {
    vi: 'Số, ký hiệu này đã được dùng cho một văn bản khác trong năm; số chưa được cấp.',
    en: 'This number and notation are already used by another document this year; no number was given.',
  },
  'docx-converter-missing': {
    vi: 'Máy chủ chưa cài LibreOffice nên chưa chuyển được tệp DOCX sang PDF. Quản trị viên cài gói Debian "libreoffice-writer-nogui" (hoặc đặt LIBREOFFICE_PATH), hoặc tải lên bản PDF.',
    en: 'LibreOffice is not installed on the server, so DOCX files cannot be converted to PDF. Install the Debian package "libreoffice-writer-nogui" (or set LIBREOFFICE_PATH), or upload a PDF.',
  },
  'docx-conversion-failed': {
    vi: 'Không chuyển được tệp DOCX sang PDF; không có gì được lưu.',
    en: 'The DOCX file could not be converted to PDF; nothing was stored.',
  },
  'number-placement-needed': {
    vi: 'Không tìm thấy chỗ ghi "Số:" và ngày tháng trên dự thảo; hãy chỉ vị trí trước khi trình ký.',
    en: 'No place for "Số:" and the date was found on the draft; place them before it goes to the signer.',
  },
  // Records and archives (src/records).
  'record-on-hold': {
    vi: 'Hồ sơ, tài liệu đang bị tạm dừng hủy (phong tỏa): không được sửa, xóa hoặc hủy.',
    en: 'A legal hold covers this record: it cannot be edited, deleted or destroyed.',
  },
  'record-closed': {
    vi: 'Văn bản đã thuộc hồ sơ đã đóng hoặc đã nộp lưu: không được sửa hoặc xóa.',
    en: 'The document is a record of a closed or transferred file: it cannot be edited or deleted.',
  },
  'record-file-state': {
    vi: 'Không thể thực hiện thao tác này ở trạng thái hiện tại của hồ sơ.',
    en: 'This step is not possible in the file’s current state.',
  },
  'record-destroyed': {
    vi: 'Tài liệu đã bị hủy theo quyết định; chỉ còn thông tin mô tả.',
    en: 'The record was destroyed by decision; only its description remains.',
  },
  'retention-not-expired': {
    vi: 'Hồ sơ chưa hết thời hạn bảo quản (hoặc bảo quản vĩnh viễn).',
    en: 'The file is not past its retention period (or is kept permanently).',
  },
  'disposal-not-approved': {
    vi: 'Cần có quyết định hủy tài liệu được phê duyệt trước khi hủy.',
    en: 'The destruction needs an approved decision first.',
  },
  'field-retention-reason': {
    vi: 'Cần nêu lý do khi thời hạn bảo quản khác với bảng thời hạn bảo quản.',
    en: 'Give a reason when the retention differs from the schedule.',
  },
  // Field-level validation messages.
  'field-required': { vi: 'Bắt buộc nhập.', en: 'Required.' },
  'field-invalid-date': { vi: 'Ngày không hợp lệ (định dạng YYYY-MM-DD).', en: 'Invalid date (YYYY-MM-DD).' },
  'field-future-date': { vi: 'Ngày không được ở tương lai.', en: 'The date cannot be in the future.' },
  'field-invalid-number-notation': {
    vi: 'Số, ký hiệu không đúng định dạng (ví dụ: 15/QĐ-UBND).',
    en: 'Invalid number and notation (e.g. 15/QĐ-UBND).',
  },
  'field-unknown-kind': { vi: 'Loại văn bản không có trong danh mục.', en: 'Unknown document kind.' },
  'field-too-long': { vi: 'Quá dài.', en: 'Too long.' },
  // Issue 13 (hostile input): control characters, nesting, implausible dates.
  'field-control-characters': {
    vi: 'Không được chứa ký tự điều khiển (ví dụ ký tự NUL, ký tự đảo chiều văn bản).',
    en: 'Must not contain control characters (such as NUL or bidirectional overrides).',
  },
  'field-secret-needs-person': {
    vi: 'Văn bản mật chỉ được giao cho cá nhân cụ thể, không giao cho cả đơn vị.',
    en: 'A secret document is handed to named people, not to a whole unit.',
  },
  'field-nested-too-deep': { vi: 'Dữ liệu lồng nhau quá sâu.', en: 'Nested too deeply.' },
  'field-date-out-of-range': {
    vi: 'Ngày nằm ngoài khoảng hợp lý (từ 02/9/1945 đến tối đa 10 năm sau hôm nay).',
    en: 'The date is outside the plausible range (from 1945-09-02 to at most 10 years from today).',
  },
  'field-invalid-value': { vi: 'Giá trị không hợp lệ.', en: 'Invalid value.' },
  'field-username-taken': { vi: 'Tên đăng nhập đã được dùng.', en: 'This username is taken.' },
  'field-insufficient-clearance': {
    vi: 'Người dùng không đủ cấp độ mật hoặc đã bị khóa.',
    en: 'The user lacks the clearance for this document, or is inactive.',
  },
  'field-enrol-mfa-first': {
    vi: 'Hãy bật xác thực hai bước cho tài khoản của bạn trước khi bắt buộc cho người khác.',
    en: 'Turn on two-factor authentication for your own account before requiring it of others.',
  },
  'field-wrong-password': { vi: 'Mật khẩu hiện tại không đúng.', en: 'The current password is wrong.' },
  'field-pin-too-short': {
    vi: 'Mã PIN ký số cần ít nhất 6 ký tự.',
    en: 'The signing PIN needs at least 6 characters.',
  },
  // Offline revocation data (src/signatures/revocation-lists).
  'bad-crl': {
    vi: 'Không đọc được danh sách chứng thư bị thu hồi (cần tệp CRL dạng DER hoặc PEM).',
    en: 'The certificate revocation list cannot be read (a DER or PEM CRL file is expected).',
  },
  'crl-issuer-not-trusted': {
    vi: 'Danh sách thu hồi này không do một CA trong danh sách CA tin cậy của cơ quan ký; hãy thêm CA đó trước.',
    en: "This revocation list is not signed by a CA of the agency's trust store; add that CA first.",
  },
  'crl-not-newer': {
    vi: 'Danh sách thu hồi này không mới hơn danh sách đang dùng cho CA đó.',
    en: 'This revocation list is not newer than the one kept for its CA.',
  },
} as const satisfies Record<string, Message>

export type MessageCode = keyof typeof messages

import Testing
@testable import LifeboatStore
